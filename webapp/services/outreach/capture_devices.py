"""The devices each user has captured on, known from their own signed-in requests: on a shared
phone, a record left by one user may be sent under another's session and still be stored as
its capturer's (services/outreach/sync.py), because the capturer used that phone."""

from datetime import timedelta

from webapp.models import CaptureDevice, User, utcnow
from webapp.vocabulary import Role

MAX_DEVICE_ID = 64
# How often a known device's last_seen_at is written again.
SEEN_EVERY = timedelta(days=1)


def register(user: User, device_id: str) -> None:
    """Note that the user works on this device (an outbox's random id). Called by every ping, so
    it reads first and writes only what is new: a device not known for the user, or last seen
    over a day ago. A hundred devices pinging a recovering server add no writes to it."""
    device_id = (device_id or "")[:MAX_DEVICE_ID]
    if not device_id:
        return
    now = utcnow()
    last_seen = (
        CaptureDevice.select(CaptureDevice.last_seen_at)
        .where((CaptureDevice.user == user) & (CaptureDevice.device_id == device_id))
        .scalar()
    )
    if last_seen is not None and last_seen > now - SEEN_EVERY:
        return
    if last_seen is not None:
        CaptureDevice.update(last_seen_at=now).where(
            (CaptureDevice.user == user) & (CaptureDevice.device_id == device_id)
        ).execute()
        return
    CaptureDevice.insert(user=user, device_id=device_id, first_seen_at=now, last_seen_at=now).on_conflict(
        conflict_target=[CaptureDevice.user, CaptureDevice.device_id],
        update={CaptureDevice.last_seen_at: now},
    ).execute()


def capturers(sender: User, usernames: set[str], device_id: str, vouched: bool = False) -> dict[str, User]:
    """Those of the named users a record may be stored under when sender sends it: staff of the
    sender's centre who used this device, or any staff of the centre when the sender vouches
    for them (an administrator importing a device's exported file)."""
    usernames = {name for name in usernames if name and name != sender.username}
    if not usernames:
        return {}
    query = User.select().where(
        User.username.in_(list(usernames)) & (User.centre == sender.centre) & (User.role != Role.STUDENT)
    )
    if not vouched:
        query = query.join(CaptureDevice).where(CaptureDevice.device_id == (device_id or "")[:MAX_DEVICE_ID])
    return {user.username: user for user in query}
