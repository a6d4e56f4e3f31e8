from django.urls import path

from accounts import views, views_2fa, views_access, views_unsubscribe

app_name = "accounts"
urlpatterns = [
    path("rejestracja/", views.register, name="register"),
    path("rejestracja/wyslano/", views.register_sent, name="register_sent"),
    path("ustaw-haslo/<str:token>/", views.set_password, name="set_password"),
    path("haslo-zapisane/", views.password_saved, name="password_saved"),
    path("logowanie/", views.login, name="login"),
    path("logowanie/kod/", views_2fa.login_code, name="login_code"),
    path("wyloguj/", views.logout, name="logout"),
    path("nie-pamietam-hasla/", views.password_reset, name="password_reset"),
    path("nie-pamietam-hasla/wyslano/", views.password_reset_sent, name="password_reset_sent"),
    path("nowe-haslo/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("moje-konto/", views.my_account, name="my_account"),
    path("moje-konto/dostep/zapros/", views_access.invite, name="access_invite"),
    path("moje-konto/dostep/<int:pk>/rola/", views_access.change_role, name="access_change_role"),
    path("moje-konto/dostep/<int:pk>/cofnij/", views_access.revoke, name="access_revoke"),
    path("moje-konto/zaproszenia/<int:pk>/anuluj/", views_access.cancel_invitation, name="access_cancel_invitation"),
    path("moje-konto/dodaj-numer-odbiorcy/", views_access.add_customer, name="add_customer"),
    path("zaproszenie/<str:token>/", views_access.invitation, name="invitation"),
    path("moje-konto/e-faktury/", views.e_invoice_consent, name="e_invoice_consent"),
    path("moje-konto/powiadomienia/", views.notice_preferences, name="notice_preferences"),
    path("moje-konto/haslo/", views.change_password, name="change_password"),
    path("moje-konto/e-mail/", views.change_email, name="change_email"),
    path("moje-konto/weryfikacja-dwuetapowa/wlacz/", views_2fa.enable, name="two_factor_enable"),
    path("moje-konto/weryfikacja-dwuetapowa/potwierdz/", views_2fa.confirm, name="two_factor_confirm"),
    path("moje-konto/weryfikacja-dwuetapowa/kody-zapasowe/", views_2fa.backup_codes, name="two_factor_backup_codes"),
    path("moje-konto/weryfikacja-dwuetapowa/wylacz/", views_2fa.disable, name="two_factor_disable"),
    path("potwierdz-e-mail/<str:token>/", views.email_confirm, name="email_confirm"),
    path("to-nie-ja/<str:token>/", views.not_me, name="not_me"),
    path("wypisz/<str:token>/", views_unsubscribe.unsubscribe, name="unsubscribe"),
    path("regulamin/", views.terms, name="terms"),
    path("regulamin/<slug:version>/", views.terms, name="terms_version"),
    path("prywatnosc/", views.privacy, name="privacy"),
    path("prywatnosc/<slug:version>/", views.privacy, name="privacy_version"),
]
