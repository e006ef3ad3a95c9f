#!/usr/bin/env bash
# The action's pull-request step: `campc diff` of the pull request's base
# branch against its head, posted as a comment on the pull request (the
# Markdown summary; an earlier comment of this step is edited rather than
# a new one added), written to the job summary, and shown as annotations.
# Exits as `campc diff` does: 1 when a flag is raised at `deny` or a side
# does not check, 2 when the diff could not run.
#
#   .ci/diff-comment.sh PACKAGE
#
# Environment: GITHUB_BASE_REF (the base branch), PR_NUMBER (where to
# comment; none: no comment), GITHUB_STEP_SUMMARY (optional), GH_TOKEN
# (for `gh`); CAMPC and GH name other programs than `campc` and `gh`
# (the offline test replaces `gh`).
set -uo pipefail
package=${1:-.}
campc=${CAMPC:-campc}
gh=${GH:-gh}
base=${GITHUB_BASE_REF:?"GITHUB_BASE_REF: the pull request's base branch"}

# A shallow checkout lacks the base: fetch it (offline, the branch may be local).
git fetch --no-tags --depth=1 origin "$base" >/dev/null 2>&1 || true
revision="origin/$base"
if ! git rev-parse --verify --quiet "$revision^{commit}" >/dev/null; then
  revision=$base
fi

body=$(mktemp)
trap 'rm -f "$body"' EXIT
"$campc" --color never diff "$revision" "$package" --format markdown >"$body" 2>"$body.err"
status=$?
if [ "$status" -eq 2 ]; then
  { printf '## campc diff\n\n`campc diff %s %s` could not run:\n\n```\n' "$revision" "$package"
    cat "$body.err"
    printf '```\n'; } >"$body"
fi
rm -f "$body.err"
# A marker, so that the next run edits this comment.
printf '\n<!-- campc-diff -->\n' >>"$body"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$body" >>"$GITHUB_STEP_SUMMARY"
fi
if [ -n "${PR_NUMBER:-}" ]; then
  "$gh" pr comment "$PR_NUMBER" --body-file "$body" --edit-last 2>/dev/null ||
    "$gh" pr comment "$PR_NUMBER" --body-file "$body" ||
    echo "::warning title=campc diff::could not comment on pull request $PR_NUMBER (does the job have \`pull-requests: write\`?)"
fi
if [ "$status" -ne 2 ]; then
  "$campc" --color never diff "$revision" "$package" --format github || true
fi
exit "$status"
