from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"
    verbose_name = "Reviews, referrals and letters"

    def ready(self) -> None:
        # intake (the floor below) cannot import the on-call alert; it calls the handlers
        # registered here when a submitted history has a red flag (intake/red_flags.py).
        from intake.red_flags import red_flag_handler_register
        from referrals.services.urgent import red_flag_alert_raise

        red_flag_handler_register(red_flag_alert_raise)
