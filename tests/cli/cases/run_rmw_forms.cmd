cat > $TMP/t <<'T'
0 store 0x100 8 =5
0 rmw 0x100 8            # +1: 6
0 load 0x100 8 =6
0 rmw 0x100 8 +10        # 16
0 load 0x100 8 =16
1 rmw 0x100 8 =3         # exchange: 3
1 load 0x100 8 =3
1 rmw 0x100 8 +-4        # add -4: -1
1 load 0x100 8 =-1
1 rmw 0x100 4 +1         # 4-byte add wraps to 0 in the low word
1 load 0x100 4 =0
T
cohsim run -q $TMP/t && echo ok
printf '0 rmw 0x100 8 +x\n' > $TMP/u
cohsim run -q $TMP/u
printf '0 load 0x100 8 +1\n' > $TMP/u
cohsim run -q $TMP/u
