printf 'X86 bad\n{ x=0; }\n P0          ;\n MOV [x],$1  ;\n MOVX EAX,[x] ;\nexists (0:EAX=1)\n' > $TMP/bad.litmus
cohsim litmus $TMP/bad.litmus
