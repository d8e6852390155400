# kubectl get pods -w: the stream stays open and shows pods as the controllers add and remove
# them (bounded by timeout, so a hang fails the test).
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server

KUBECONFIG="$WORK/kubeconfig" timeout 30 kubectl --cache-dir "$WORK/cache" get pods -w --output-watch-events \
  > "$WORK/watch.out" 2>&1 &
BACKGROUND_PIDS="$!"
wait_for 10 grep -q ' -> 200 (watch)' "$WORK/server.log" || fail "kubectl opened no watch"

run_k apply apply -f "$SEED/deployment-istio.yaml"
expect_rc 0
wait_for 10 sh -c "[ \$(grep -c '^ADDED ' '$WORK/watch.out') -ge 3 ]" || fail "no ADDED rows: $(cat "$WORK/watch.out")"

run_k scale scale deployment k8s-combat-service --replicas=1
expect_rc 0
expect_out scale 'deployment.apps/k8s-combat-service scaled'
wait_for 10 sh -c "[ \$(grep -c '^DELETED ' '$WORK/watch.out') -ge 2 ]" || fail "no DELETED rows: $(cat "$WORK/watch.out")"

kill $BACKGROUND_PIDS 2> /dev/null
wait $BACKGROUND_PIDS 2> /dev/null
BACKGROUND_PIDS=""
echo "--- kubectl get pods -w --output-watch-events"
cat "$WORK/watch.out"
grep -qE '^EVENT +NAME +READY +STATUS +RESTARTS +AGE' "$WORK/watch.out" || fail "no Table header"
grep -qE '^ADDED +k8s-combat-service-[a-z0-9]+-[a-z0-9]+ +1/1 +Running' "$WORK/watch.out" || fail "no Running pod row"
[ "$(grep -c '^EVENT' "$WORK/watch.out")" = 1 ] || fail "the header was printed more than once"

echo PASS
