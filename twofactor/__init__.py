"""Two-factor authentication: a TOTP authenticator app and recovery codes (django-otp), asked for
after the password, required by role (settings.OTP_REQUIRED_ROLES) and on the admin site."""
