"""Runs Wenche's own login() unchanged against a sandbox: only the base URLs (module constants)
and the settings it reads from the environment are changed. Prints the two tokens' lengths.

Usage: python3 run_login.py <maskinporten issuer> <altinn base>  (env: MASKINPORTEN_CLIENT_ID,
MASKINPORTEN_KID, ORG_NUMMER, MASKINPORTEN_PRIVAT_NOKKEL, HOME)."""
import sys

from wenche import auth

issuer, altinn = sys.argv[1], sys.argv[2]
auth.MASKINPORTEN_TOKEN_URL = issuer + "token"
auth.MASKINPORTEN_AUD = issuer
auth.ALTINN_EXCHANGE_URL = altinn + "authentication/api/v1/exchange/maskinporten"
tokens = auth.login()
print("maskinporten_token", len(tokens["maskinporten_token"]))
print("altinn_token", len(tokens["altinn_token"]))
