"""Behind nginx the client's address arrives in X-Forwarded-For. The app believes exactly as
many proxies as TRUSTED_PROXIES says (0 when it faces the network itself), so that sign-in
throttling and the /verify/ limits count the real client and nobody can forge an address by
sending the header themselves."""

from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app):
    count = app.config["TRUSTED_PROXIES"]
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)
