#!/bin/sh
# The bad-input suite: every file under tests/fixtures/bad-inputs/READER/ is malformed for its
# reader (text, binary, din, xdin, lackey, champsim: --format READER; detect: no --format, the
# compressed wrappers among them; config: --config; overrides: the file holds one -c argument;
# asm: exec; litmus). Each must exit 2 with a first message line that names the file and the
# line, column, record or byte (an empty file: the file; -c: the option), with no sanitizer
# report, and leave nothing behind (its --json output is asked for and must not appear).
# BAD_INPUTS_TABLE=1 prints one row per file: reader, file, exit status, message.
set -u
cd "$ROOT" || exit 1
dir=$ROOT/tests/fixtures/bad-inputs
demo=$ROOT/traces/examples/demo.trace
out=$TMP/out
mkdir -p "$out"
fails=0
count=0
for path in "$dir"/*/*; do
    reader=$(basename "$(dirname "$path")")
    json=$out/result.json
    case $reader in
    text | binary | din | xdin | lackey | champsim)
        set -- run -q --format "$reader" --json "$json" "$path" ;;
    detect) set -- run -q --json "$json" "$path" ;;
    config) set -- run -q --config "$path" --json "$json" "$demo" ;;
    overrides) set -- run -q -c "$(cat "$path")" --json "$json" "$demo" ;;
    asm) set -- exec --json "$json" "$path" ;;
    litmus) set -- litmus --runs 2 --json "$json" "$path" ;;
    *) echo "FAIL: $path: no reader $reader"; fails=$((fails + 1)); continue ;;
    esac
    # Traced runs (tests/cli/run.sh uses sh -x) must not trace into the captured stderr.
    ( { set +x; } 2>/dev/null; cd "$out" && "$COHSIM" "$@") >"$TMP/stdout" 2>"$TMP/stderr"
    status=$?
    count=$((count + 1))
    first=$(head -1 "$TMP/stderr")
    [ "${BAD_INPUTS_TABLE:-}" ] && printf '%s\t%s\t%s\t%s\n' "$reader" "$(basename "$path")" "$status" "$first"
    why=""
    [ "$status" -eq 2 ] || why="exit $status"
    # Where: file:line[:col], file: record N, byte B, file: byte B, a compressed byte offset, or
    # (detection) the likeliest format's own line or byte; an empty file; -c ARG.
    p=$(printf '%s' "$path" | sed 's/[].[*^$]/\\&/g')
    if [ "$reader" = overrides ]; then
        printf '%s\n' "$first" | grep -q "^cohsim: -c" || why="$why; no -c in the message"
    elif ! printf '%s\n' "$first" | grep -Eq \
        "^cohsim: (exec: )?$p(:[0-9]+|: record [0-9]+, byte [0-9]+|: byte [0-9]+|: empty file|: .*compressed bytes? [0-9]+|: not a trace format .* $p(:[0-9]+|: byte [0-9]+|: record [0-9]+)|: the program contains no code)"; then
        why="$why; no file and line or byte in the message"
    fi
    grep -q 'Sanitizer\|runtime error' "$TMP/stderr" && why="$why; sanitizer report"
    [ -z "$(ls -A "$out")" ] || why="$why; left behind: $(ls -A "$out" | tr '\n' ' ')"
    rm -rf "$out" && mkdir -p "$out"
    if [ -n "$why" ]; then
        echo "FAIL: $path: ${why#; }: $first"
        fails=$((fails + 1))
    fi
done
# At least ten malformed files per reader.
for r in "$dir"/*/; do
    n=$(ls "$r" | wc -l)
    [ "$n" -ge 10 ] || { echo "FAIL: $r has $n files, fewer than 10"; fails=$((fails + 1)); }
done
echo "bad inputs: $count files, $fails failures"
[ "$fails" -eq 0 ]
