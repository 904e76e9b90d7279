#!/usr/bin/env bash
# Run the example questions of docs/ANALYSTS.md (questions.sql) against a
# ClickHouse holding the backfill and the demo crawl, printing Markdown:
#   twinwatch -c cfg.yaml backfill data/twinning/ru_cn_relations.tsv
#   twinwatch -c cfg.yaml up --demo --once
#   docs/analysts/run.sh PORT DATABASE > docs/analysts/answers.md
set -euo pipefail
port=${1:?port}; db=${2:?database}
dir=$(dirname "$0")
python3 - "$port" "$db" "$dir/questions.sql" <<'PY'
import subprocess, sys, re
port, db, path = sys.argv[1:]
text = open(path).read()
for block in [b.strip() for b in text.split("\n\n") if b.strip()]:
    lines = block.split("\n")
    title = lines[0].lstrip("- ").strip()
    sql = "\n".join(lines[1:]).rstrip(";")
    out = subprocess.run(["clickhouse-client", "--port", port, "-d", db, "--format", "PrettyCompactNoEscapes", "-q", sql],
                         capture_output=True, text=True, check=True).stdout.rstrip()
    print(f"### {title}\n\n```sql\n{sql};\n```\n\n```\n{out}\n```\n")
PY
