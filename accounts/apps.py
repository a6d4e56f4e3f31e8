from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konta")

    def ready(self) -> None:
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts import checks, models, signals  # noqa: F401  (registers checks and signal receivers)
        from ebok import pagecache

        # The login shows in every page's header; e-mail, consents, notices and two-factor state
        # in Moje konto: any change bumps the customer's cached pages (ebok.pagecache). A login
        # starts a new session (new cache keys): the last_login stamp and the login history
        # (Moje konto only) change no cached page. A deleted login's sessions end with it (the
        # key holds the session and the user), so no page of it can be served again.
        pagecache.watch(models.User, unseen=frozenset({"last_login"}), deletes=False)
        pagecache.watch(models.ConsentEvent)
        for model in (models.AccountToken, TOTPDevice, StaticDevice):
            pagecache.watch(model, owner="user__customer_id")
