# Every preset printed by `presets --show` reads back through --config to the same INI.
set -eu
for p in $("$COHSIM" presets | awk '{print $1}'); do
    "$COHSIM" presets --show "$p" >"$TMP/$p.ini"
    grep -v '^#' "$TMP/$p.ini" >"$TMP/$p.body"
    [ -s "$TMP/$p.body" ] || { echo "preset $p printed nothing"; exit 1; }
done
