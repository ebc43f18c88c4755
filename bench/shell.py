"""Shell size: the bytes a phone downloads before the capture form works offline, i.e. every
URL in the service worker's precache list, uncompressed."""

from webapp.services.offline_shell import precache_urls

from . import environment
from .report import Check, Section

TARGET = 300_000  # bytes


def measure():
    """[(url, bytes)] for the precache list, fetched as a signed-in outreach worker."""
    with environment.seeded_app("sqlite") as site:
        client = environment.signed_in_client(site)
        with site.app.test_request_context():
            urls = precache_urls()
        sizes = []
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            sizes.append((url, len(response.get_data())))
    return sizes


def run():
    sizes = measure()
    total = sum(size for _url, size in sizes)
    rows = [(f"`{url}`", f"{size:,}") for url, size in sizes] + [("**total**", f"**{total:,}**")]
    check = Check(
        "Shell size (precache list, uncompressed)", f"{total:,} bytes", f"< {TARGET:,} bytes", total < TARGET
    )
    method = (
        "Each URL of `offline_shell.precache_urls()` (the list `/sw.js` carries) fetched "
        "through Flask's test client signed in as outreach; body length without "
        "compression. The schools and rosters (`reference.json`) are not in it: each user's "
        "copy is kept in the outbox, and removed when they sign out."
    )
    return Section("Offline shell size", method, ["URL", "Bytes"], rows, [check])
