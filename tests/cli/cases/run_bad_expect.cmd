printf 'file a size=4K\nexpect disk a 0x1000 8 =0\n' > $TMP/e1.trace
cohsim run -q $TMP/e1.trace
printf 'file a size=8K\nmap 1 a base=0x10000\nexpect mem 0xfffc 8 =0\n' > $TMP/e2.trace
cohsim run -q $TMP/e2.trace
printf 'file a size=8K\nmap 1 a base=0x10000\nexpect mem 0x10ffc 8 =0\n' > $TMP/e3.trace
cohsim run -q $TMP/e3.trace
printf 'expect fetch 0x400000 4 =0 cpu=9\n' > $TMP/e4.trace
cohsim run -q $TMP/e4.trace
echo "exit $?"
printf '0 store 0x40 8 =5\nexpect mem 0x40 8 =6\n' > $TMP/e5.trace
cohsim run -q $TMP/e5.trace
