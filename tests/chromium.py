"""The browser of the browser, deployment and benchmark runs."""

# Headless Chromium (Debian's package), closed off from the network; one for the whole run, shared
# by tests/browser/ and tests/deploy/ (Playwright's sync API runs one instance at a time).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
