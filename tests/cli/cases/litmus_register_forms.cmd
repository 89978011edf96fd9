printf 'X86 R\n{ x=0; }\n P0 ;\n MOV EAX,$2 ;\n ADD EAX,$3 ;\n MOV EBX,EAX ;\n INC EBX ;\n ADD EBX,EAX ;\n XCHG EBX,[x] ;\nexists (0:EAX=5 /\\ 0:EBX=0 /\\ x=11)\n' > $TMP/R.litmus
cohsim litmus --runs 3 $TMP/R.litmus
