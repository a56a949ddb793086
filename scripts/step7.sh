#!/usr/bin/env bash
# The prototype's Step 7 flow with curl and jq, asserting the prototype's shapes: sign in,
# create a session, stream a question, read the tool call's name as the prototype's
# clients do (`.content.function.name`). Usage: scripts/step7.sh [BASE_URL]
# (default http://localhost:3000). Run in CI by `server/tests/api/chat.rs`
# (`step_7_curl_flow_reads_the_prototype_envelope`) against a spawned server.
set -euo pipefail
BASE=${1:-http://localhost:3000}
fail() { echo "step7: $*" >&2; exit 1; }

TOKEN=$(curl -sf -X POST "$BASE/api/token/" -H 'content-type: application/json' \
  -d '{"username":"doctor","password":"doctor123"}' | jq -r .access)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || fail "no access token"
SID=$(curl -sf -X POST "$BASE/frontend/api/chat/session/" -H "Authorization: Bearer $TOKEN" | jq -r .session_id)
[ -n "$SID" ] && [ "$SID" != null ] || fail "no session id"
STREAM=$(curl -sfN -X POST "$BASE/frontend/api/chat/message/" -H "Authorization: Bearer $TOKEN" \
  -H 'content-type: application/json' -d "{\"session_id\":\"$SID\",\"message\":\"Latest labs for PAT-001\"}")

# Every line is the envelope {"type", "content", "timestamp"} and nothing else.
echo "$STREAM" | jq -e -s 'length > 0 and all(.[]; (keys == ["content", "timestamp", "type"]))' >/dev/null \
  || fail "a line is not {type, content, timestamp}"
# content: a string for message and delta, an object for the others.
echo "$STREAM" | jq -e -s 'all(.[]; if .type == "message" or .type == "delta"
  then (.content | type) == "string" else (.content | type) == "object" end)' >/dev/null \
  || fail "a content has the wrong type"
# The prototype's clients read the tool call like this.
NAME=$(echo "$STREAM" | jq -r 'select(.type == "tool_call") | .content.function.name' | head -n1)
[ "$NAME" = get_lab_results ] || fail "tool_call .content.function.name is '$NAME'"
echo "$STREAM" | jq -e -s '[.[] | select(.type == "tool_call")][0].content
  | (.id | type) == "string" and (.function.arguments | fromjson | .patient_id) == "PAT-001"' >/dev/null \
  || fail "tool_call content is not {id, function: {name, arguments}}"
echo "$STREAM" | jq -e -s '[.[] | .type] | .[-1] == "done" and index("message") != null' >/dev/null \
  || fail "the stream does not end with message then done"
echo "$STREAM" | jq -r 'select(.type == "message") | .content' | grep -q 'Hemoglobin A1c' \
  || fail "the message does not carry the labs"
echo "step7: ok ($NAME)"
