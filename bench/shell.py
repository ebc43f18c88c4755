"""Shell size: the bytes a phone downloads before the capture form works offline, i.e. every
URL in the service worker's precache list, uncompressed."""

from webapp.services.outreach.offline_shell import precache_urls

from . import environment
from .report import Check, Section

TARGET = 300_000  # bytes


def measure():
    """[(url, bytes, bytes with brotli)] for the precache list, fetched as a signed-in outreach
    worker."""
    with environment.seeded_app("sqlite") as site:
        client = environment.signed_in_client(site)
        with site.app.test_request_context():
            urls = precache_urls()
        sizes = []
        for url in urls:
            response = client.get(url)
            packed = client.get(url, headers={"Accept-Encoding": "br"})
            if response.status_code != 200 or packed.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            sizes.append((url, len(response.get_data()), len(packed.get_data())))
    return sizes


def run():
    sizes = measure()
    total = sum(size for _url, size, _packed in sizes)
    packed_total = sum(packed for _url, _size, packed in sizes)
    rows = [(f"`{url}`", f"{size:,}", f"{packed:,}") for url, size, packed in sizes] + [
        ("**total**", f"**{total:,}**", f"**{packed_total:,}** ({packed_total / total:.0%})")
    ]
    check = Check(
        "Shell size (precache list, uncompressed)", f"{total:,} bytes", f"< {TARGET:,} bytes", total < TARGET
    )
    method = (
        "Each URL of `offline_shell.precache_urls()` (the list `/sw.js` carries) fetched "
        "through Flask's test client signed in as outreach; body length without "
        "compression, and as a browser downloads it (brotli). The schools and rosters (`reference.json`) are not in it: each user's "
        "copy is kept in the outbox, and removed when they sign out."
    )
    return Section("Offline shell size", method, ["URL", "Bytes", "Bytes with brotli"], rows, [check])
