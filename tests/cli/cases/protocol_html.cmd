cohsim protocol --protocol moesi --html "$TMP/p.html" && cat "$TMP/p.html"
