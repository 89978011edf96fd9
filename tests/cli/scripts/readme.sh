# README.md keeps its promises: it opens with the two commands, every repository path it names
# exists, every `cohsim SUBCOMMAND` it names answers --help, and every preset it names exists.
set -eu
cd "$ROOT"
first=$(grep -E '^\s*make [a-z]+' README.md | head -2 | tr '\n' ' ')
[ "$first" = "make demo make test " ] || { echo "README opens with '$first'"; exit 1; }

# Paths: backquoted tokens that look like files of this repository (not ../shared ones, not
# build outputs).
for p in $(grep -oE '`[A-Za-z0-9_./-]+(/[A-Za-z0-9_.@+-]*)+`' README.md | tr -d '`' | sort -u); do
    case "$p" in ../*|/*|*://*|build/*) continue ;; esac   # build/: what make writes
    [ -e "$p" ] || { echo "README names $p, which does not exist"; exit 1; }
done

# Commands: every `cohsim WORD` whose WORD is a subcommand must answer --help.
for c in $(grep -oE 'cohsim [a-z]+' README.md | awk '{print $2}' | sort -u); do
    case "$c" in run|trace|host|calibrate|compare|presets|exec|litmus|sweep) ;; *) continue ;; esac
    "$COHSIM" "$c" --help >/dev/null || { echo "cohsim $c --help failed"; exit 1; }
done
# ... and every subcommand the program has is in the README.
for c in $("$COHSIM" | awk '/^subcommands:/ {on = 1; next} on && NF {print $1} on && !NF {exit}'); do
    grep -q "cohsim $c" README.md || { echo "README does not mention cohsim $c"; exit 1; }
done

# Presets: each one the program lists is in the README, and each README preset is real.
for p in $("$COHSIM" presets | awk '{print $1}'); do
    grep -q "\`$p\`" README.md || { echo "README does not describe preset $p"; exit 1; }
done
for p in $(grep -oE -- '--preset [a-z0-9-]+' README.md | awk '{print $2}' | sort -u); do
    "$COHSIM" presets --show "$p" >/dev/null || { echo "README names preset $p"; exit 1; }
done
