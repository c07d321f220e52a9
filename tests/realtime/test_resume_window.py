"""A dropped connection keeps its missed events for the resume window, and not longer."""

from tests.realtime.sockets import event_named, open_socket, reply_to, send_action, wait_for
from tests.support.client import API, create_user
from tests.support.server import ServerProcess

from villagepump.config import Settings

RESUME_WINDOW = Settings().websocket_resume_seconds


def test_a_dropped_connection_resumes_within_the_window_and_starts_afresh_after(
    clocked_server: ServerProcess, clocked_admin: API
) -> None:
    hamlet = create_user(clocked_admin, "hamlet")
    ws = open_socket(hamlet)
    connection_id = wait_for(ws, event_named("hello"))[0]["data"]["connection_id"]
    online, _ = wait_for(ws, event_named("status_change", status="online"))
    resume = f"connection_id={connection_id}&sequence_number={online['seq'] + 1}"
    ws.close()

    clocked_server.advance(RESUME_WINDOW - 20)
    resumed = open_socket(hamlet, query=resume)
    send_action(resumed, 1, "ping")
    _, before_reply = wait_for(resumed, reply_to(1))
    assert [m for m in before_reply if m.get("event") == "hello"] == []
    resumed.close()

    # Past the window (and the sweep that forgets), counting from this second drop.
    clocked_server.advance(RESUME_WINDOW + 20)
    fresh = open_socket(hamlet, query=resume)
    hello, _ = wait_for(fresh, event_named("hello"))
    assert hello["seq"] == 0 and hello["data"]["connection_id"] != connection_id
    fresh.close()
