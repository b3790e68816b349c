"""Events panel: one row per Event object (series), as `kubectl describe` lists them.

The grouping is `kubetrainer.sim.events.series_key` (client-go tools/record events_cache.go:
identical events share one Event whose count grows; from the 10th distinct message of one
object/type/reason/source the EventAggregator combines them into ONE Event "(combined from
similar events): ..."), the latest occurrence shown with "AGE (xN over FIRST)" (kubectl
describe.go DescribeEvents), sorted by last occurrence.
"""

from __future__ import annotations

import pytest

from kubetrainer.sim.kubectl import format_table
from kubetrainer.sim.kubectl.generic import events_table
from kubetrainer.tui.session import RunSession
from kubetrainer.tui.widgets.editor import YamlEditor
from kubetrainer.tui.widgets.events import EventsPanel, describe_age, event_series

from .factory import make_app
from .helpers import CRASH, screen_text

# a ReplicaSet creating 12 pods records 12 distinct "Created pod: NAME" SuccessfulCreate events:
# the 10th and later ones are combined into one series
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 12
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.14.2
"""

COMBINED = "(combined from similar events): "


def _run(text: str, until: float) -> RunSession:
    s = RunSession(seed=0)
    assert s.submit(text) == []
    s.advance(until)
    return s


def test_crashloop_backoff_is_one_series_with_its_count():
    s = _run(CRASH, 600)
    backoffs = [e for e in s.events() if e.reason == "BackOff"]
    assert len(backoffs) > 10                        # many occurrences ...
    rows = [r for r in event_series(s.events()) if r.event.reason == "BackOff"]
    assert len(rows) == 1                            # ... one Event object
    row = rows[0]
    assert row.count == len(backoffs) and row.event is backoffs[-1]
    assert row.first == backoffs[0].time and row.last == backoffs[-1].time
    assert describe_age(s.now, row) == f"5s (x{len(backoffs)} over 9m55s)"
    # sorted by last occurrence: the BackOff that is still happening is the newest row
    assert event_series(s.events())[-1].event is row.event


def test_combined_similar_events_are_one_series():
    s = _run(DEPLOYMENT, 30)
    created = [e for e in s.events() if e.reason == "SuccessfulCreate"]
    assert len(created) == 12
    combined = [e for e in created if e.message.startswith(COMBINED)]
    assert len(combined) == 3 and len({e.message for e in combined}) == 3   # three distinct texts
    rows = [r for r in event_series(s.events()) if r.event.reason == "SuccessfulCreate"]
    assert len(rows) == 10                           # 9 single messages + ONE combined series
    comb = [r for r in rows if r.event.message.startswith(COMBINED)]
    assert len(comb) == 1
    assert comb[0].event is combined[-1] and comb[0].count == 3   # the latest message, counted once each


@pytest.mark.parametrize("text,until", [(CRASH, 600), (DEPLOYMENT, 30)], ids=["crashloop", "combined"])
def test_same_rows_as_kubectl_describe(text, until):
    """The panel's grouping is the one `simulate` prints (kubectl/generic.py events_table)."""
    s = _run(text, until)
    events, now = s.events(), s.now
    rows = [[r.event.type, r.event.reason, describe_age(now, r), r.event.source, r.event.message]
            for r in event_series(events)]
    table = format_table(["Type", "Reason", "Age", "From", "Message"],
                         [["----", "------", "----", "----", "-------"]] + rows, padding=2)
    expected = "Events:\n" + "".join(f"  {line}\n" for line in table.splitlines())
    assert expected == events_table(events, now)


async def _panel_text(text: str, until: float, size=(120, 40), filter: str = "") -> tuple[str, str]:
    app = make_app("sandbox")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one(YamlEditor).load_text(text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.session.advance(until)
        await pilot.press("4")
        await pilot.pause()
        panel = screen.query_one(EventsPanel)
        if filter:
            panel.filter = filter
            panel.update_from(screen.session, force=True)
            await pilot.pause()
        body = str(panel.query_one(".panel-body").render())
        return screen_text(app), body


async def test_panel_shows_one_backoff_row_with_count():
    text, body = await _panel_text(CRASH, 600)
    assert "Events  7 shown" in text
    lines = [ln for ln in body.splitlines() if "BackOff" in ln]
    assert len(lines) == 1 and "(x60 over 9m55s)" in lines[0] and "✗ Warning" in lines[0]
    assert "(x7 over 9m57s)" in body                 # Created/Started of every restart: one row each
    assert body.count("Created container: app") == 1


async def test_panel_shows_combined_events_once():
    text, body = await _panel_text(DEPLOYMENT, 30, filter="SuccessfulCreate")
    assert "Events  (filter: SuccessfulCreate)  10 shown" in text   # 12 occurrences, 10 Event objects
    lines = body.splitlines()
    (i,) = [i for i, ln in enumerate(lines) if "(x3 over 30s)" in ln]
    assert "SuccessfulCreate" in lines[i] and "replicaset/web-" in lines[i]
    # at 120 columns the message column would be < 30 wide: the message is on its own line below
    assert lines[i + 1].strip().startswith(COMBINED + "Created pod: web-")
    assert body.count(COMBINED.strip()) == 1


async def test_narrow_panel_puts_messages_below_their_row():
    _, body = await _panel_text(CRASH, 600, size=(80, 40))
    lines = body.splitlines()
    (i,) = [i for i, ln in enumerate(lines) if "BackOff" in ln]
    assert "(x60 over 9m55s)" in lines[i] and lines[i].rstrip().endswith("crash")
    assert lines[i + 1].startswith("    Back-off restarting failed container app in pod")
    assert all(len(ln) <= 76 for ln in lines)                          # nothing wider than the panel
