# README's section for researchers shows real output: each `$ cohsim ...` command in it, run on
# the reference sort trace, prints every line the README shows under it ('...' elides lines).
set -eu
cd "$TMP"
xz -dc "$ROOT/tests/fixtures/reference/sort.lackey.xz" >sort.lackey
awk '/^## For researchers/ {on = 1; next} /^## / {on = 0} on' "$ROOT/README.md" >section.md
awk '/^```/ {block++; next} block % 2 == 1 { print block "\t" $0 }' section.md >blocks.tsv
[ "$(cut -f1 blocks.tsv | sort -u | wc -l)" -ge 2 ]
for b in $(cut -f1 blocks.tsv | sort -u); do
    cmd=$(awk -F'\t' -v b="$b" '$1 == b && $2 ~ /^\$ cohsim / { sub(/^\$ cohsim /, "", $2); print $2; exit }' blocks.tsv)
    [ -n "$cmd" ] || continue
    # shellcheck disable=SC2086
    "$COHSIM" $cmd >out.txt
    awk -F'\t' -v b="$b" '$1 == b && $2 !~ /^\$ / && $2 != "..." { print $2 }' blocks.tsv >want.txt
    while IFS= read -r line; do
        grep -qxF -- "$line" out.txt || { echo "cohsim $cmd does not print: $line"; exit 1; }
    done <want.txt
done
echo ok
