"""Clients nobody here wrote, against the embedded identity provider.

Run by `backend/server/tests/api/compat.rs` (part of `make test`) against a real deployment; it
signs in through the real sign-in and consent pages, as a browser would. Every check is a
`check` (which `python -O` does not strip, as it would an assert): any failure exits non-zero
with the reason.

Part 1: the official Globus SDK (globus-sdk 4.10.0), pointed at the embedded server with
GLOBUS_SDK_SERVICE_URL_AUTH (and _GROUPS: the provider serves the Groups API for its groups),
apps registered with its AuthClient included.
Part 2: authlib, a standards-only OpenID Connect client.
"""

import html
import os
import re
import secrets
import sys
from urllib.parse import parse_qs, urljoin, urlparse

import globus_sdk
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from check import CheckFailed, check

AUTH = os.environ["MRDP_AUTH_URL"].rstrip("/")
CALLBACK = os.environ["MRDP_CALLBACK"]
USERNAME = os.environ["MRDP_USERNAME"]
PASSWORD = os.environ["MRDP_PASSWORD"]
PORTAL_ID, PORTAL_SECRET = os.environ["MRDP_PORTAL_ID"], os.environ["MRDP_PORTAL_SECRET"]
GRAPH_ID, GRAPH_SECRET = os.environ["MRDP_GRAPH_ID"], os.environ["MRDP_GRAPH_SECRET"]
NATIVE_ID = os.environ["MRDP_NATIVE_ID"]
GRAPH_SCOPE = os.environ["MRDP_GRAPH_SCOPE"]
TRANSFER_SCOPE = "urn:globus:auth:scope:transfer.api.globus.org:all"


def hidden(page, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    check(match, "no hidden field %s in %s" % (name, page[:300]))
    return html.unescape(match.group(1))


def sign_in_and_allow(authorize_url):
    """Walks a browser through sign-in and consent; returns the redirect back to the client."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False)
    for _ in range(10):
        if response.status_code in (302, 303):
            location = urljoin(AUTH + "/", response.headers["Location"])
            if location.startswith(CALLBACK):
                return location
            response = browser.get(location, allow_redirects=False)
        elif response.status_code == 200 and 'name="password"' in response.text:
            form = {
                "username": USERNAME,
                "password": PASSWORD,
                "csrf": hidden(response.text, "csrf"),
                "next": hidden(response.text, "next"),
            }
            response = browser.post(AUTH + "/v2/web/login", data=form, allow_redirects=False)
        elif response.status_code == 200 and "asks to act for you" in response.text:
            form = {
                "request": hidden(response.text, "request"),
                "csrf": hidden(response.text, "csrf"),
                "decision": "allow",
            }
            response = browser.post(AUTH + "/v2/web/consent", data=form, allow_redirects=False)
        else:
            raise CheckFailed("unexpected page %s: %s" % (response.status_code, response.text[:300]))
    raise CheckFailed("the flow did not come back to the client")


def code_of(location):
    query = parse_qs(urlparse(location).query)
    check("code" in query, "no code in %s" % location)
    return query["code"][0]


def globus_sdk_confidential():
    client = globus_sdk.ConfidentialAppAuthClient(PORTAL_ID, PORTAL_SECRET)
    client.oauth2_start_flow(CALLBACK, requested_scopes=["openid", "profile", "email", GRAPH_SCOPE], refresh_tokens=True)
    tokens = client.oauth2_exchange_code_for_tokens(code_of(sign_in_and_allow(client.oauth2_get_authorize_url())))
    by_server = tokens.by_resource_server
    check(set(by_server) == {"auth.globus.org", GRAPH_ID}, by_server.keys())
    id_token = tokens.decode_id_token()
    check(id_token["preferred_username"] == USERNAME, id_token)
    check(id_token["aud"] == PORTAL_ID, id_token)

    # Refresh through the SDK's authorizer: it must get a new access token and keep working.
    auth = by_server["auth.globus.org"]
    authorizer = globus_sdk.RefreshTokenAuthorizer(auth["refresh_token"], client)
    header = authorizer.get_authorization_header()
    check(header.startswith("Bearer ") and header != "Bearer " + auth["access_token"], header)
    authorizer._get_new_access_token()
    check(authorizer.get_authorization_header() != header, "a second refresh with the rotated token works")

    # The graph service (a resource server) introspects, then acts for the user.
    graph = globus_sdk.ConfidentialAppAuthClient(GRAPH_ID, GRAPH_SECRET)
    graph_token = by_server[GRAPH_ID]["access_token"]
    info = graph.oauth2_token_introspect(graph_token, include="identity_set")
    check(info["active"] is True and GRAPH_ID in info["aud"], info.data)
    check(info["identity_set"] == [id_token["sub"]], info.data)
    dependent = graph.oauth2_get_dependent_tokens(graph_token)
    transfer = dependent.by_resource_server["transfer.api.globus.org"]
    check(transfer["scope"] == TRANSFER_SCOPE, transfer)
    check(graph.oauth2_token_introspect(transfer["access_token"])["sub"] == id_token["sub"])

    # Identities, with the user's Globus Auth token.
    identities = globus_sdk.AuthClient(authorizer=globus_sdk.AccessTokenAuthorizer(authorizer.access_token))
    found = identities.get_identities(usernames=USERNAME)
    check([i["id"] for i in found["identities"]] == [id_token["sub"]], found.data)

    # A resource server makes a scope of its own (AuthClient.create_scope, as the client itself).
    suffix = "compat_" + secrets.token_hex(4)
    admin = globus_sdk.AuthClient(authorizer=globus_sdk.BasicAuthorizer(GRAPH_ID, GRAPH_SECRET))
    made = admin.create_scope(GRAPH_ID, "Compat", "A scope the SDK made", suffix)
    check(made["scope"]["scope_string"] == f"https://auth.globus.org/scopes/{GRAPH_ID}/{suffix}", made.data)
    check(made["scope"]["client"] == GRAPH_ID, made.data)

    # Revocation: the token is no longer active.
    client.oauth2_revoke_token(graph_token)
    check(graph.oauth2_token_introspect(graph_token)["active"] is False)
    print("globus-sdk ConfidentialAppAuthClient: code, id token, refresh, introspection, dependent tokens, identities, create_scope, revocation: ok")


def globus_sdk_native():
    client = globus_sdk.NativeAppAuthClient(NATIVE_ID)
    client.oauth2_start_flow(redirect_uri=CALLBACK, requested_scopes=["openid", TRANSFER_SCOPE], refresh_tokens=True)
    url = client.oauth2_get_authorize_url()
    check("code_challenge_method=S256" in url, url)
    tokens = client.oauth2_exchange_code_for_tokens(code_of(sign_in_and_allow(url)))
    transfer = tokens.by_resource_server["transfer.api.globus.org"]
    refreshed = client.oauth2_refresh_token(transfer["refresh_token"])
    check(refreshed.by_resource_server["transfer.api.globus.org"]["refresh_token"], refreshed.data)
    print("globus-sdk NativeAppAuthClient: PKCE code flow and refresh: ok")


def globus_sdk_groups():
    """The researcher's groups, as a portal learns them from Globus Groups (alice is a member of
    the demo group "Climate history")."""
    client = globus_sdk.NativeAppAuthClient(NATIVE_ID)
    view = globus_sdk.scopes.GroupsScopes.view_my_groups_and_memberships
    client.oauth2_start_flow(redirect_uri=CALLBACK, requested_scopes=["openid", view])
    tokens = client.oauth2_exchange_code_for_tokens(code_of(sign_in_and_allow(client.oauth2_get_authorize_url())))
    groups_token = tokens.by_resource_server["groups.api.globus.org"]
    check(groups_token["scope"] == str(view), groups_token)
    me = tokens.decode_id_token()["sub"]
    groups = globus_sdk.GroupsClient(authorizer=globus_sdk.AccessTokenAuthorizer(groups_token["access_token"]))
    mine = groups.get_my_groups()
    names = [group["name"] for group in mine]
    check(names == ["Climate history"], mine.data)
    group = list(mine)[0]
    check(group["my_memberships"][0]["identity_id"] == me, group)
    check(group["my_memberships"][0]["status"] == "active", group)
    check(list(groups.get_my_groups(statuses="invited")) == [])
    one = groups.get_group(group["id"], include="my_memberships")
    check(one["name"] == "Climate history" and one["id"] == group["id"], one.data)
    try:
        groups.get_group("00000000-0000-4000-8000-000000000000")
        raise CheckFailed("a group of someone else's was found")
    except globus_sdk.GroupsAPIError as error:
        check(error.http_status == 404, error)
    # A token without the scope is refused.
    transfer_only = globus_sdk.GroupsClient(authorizer=globus_sdk.AccessTokenAuthorizer(tokens.by_resource_server["auth.globus.org"]["access_token"]))
    try:
        transfer_only.get_my_groups()
        raise CheckFailed("a token for another resource server listed groups")
    except globus_sdk.GroupsAPIError as error:
        check(error.http_status == 401, error)
    print("globus-sdk GroupsClient: get_my_groups, statuses, get_group, not found, wrong token: ok")


def globus_sdk_client_registration():
    """A researcher registers apps for herself with AuthClient (the portal's Developer page does
    the same): a native app, a service with a credential that works, both listed, then deleted."""
    client = globus_sdk.NativeAppAuthClient(NATIVE_ID)
    manage = globus_sdk.scopes.AuthScopes.manage_projects
    client.oauth2_start_flow(redirect_uri=CALLBACK, requested_scopes=["openid", manage])
    tokens = client.oauth2_exchange_code_for_tokens(code_of(sign_in_and_allow(client.oauth2_get_authorize_url())))
    auth = globus_sdk.AuthClient(authorizer=globus_sdk.AccessTokenAuthorizer(tokens.by_resource_server["auth.globus.org"]["access_token"]))
    projects = list(auth.get_projects())
    check(len(projects) == 1, projects)
    project = projects[0]["id"]
    native = auth.create_client("My notebook", project, public_client=True, redirect_uris=[CALLBACK])["client"]
    check(native["public_client"] is True and native["redirect_uris"] == [CALLBACK], native)
    service = auth.create_client("My service", project, client_type="client_identity")["client"]
    check(service["public_client"] is False and service["project"] == project, service)
    credential = auth.create_client_credential(service["id"], "laptop")["credential"]
    check(credential["client"] == service["id"] and credential["secret"], credential)
    names = sorted(c["name"] for c in auth.get_clients()["clients"])
    check(names == ["My notebook", "My service"], names)
    check(auth.get_client(client_id=service["id"])["client"]["name"] == "My service")
    # The service acts as itself with its new credential.
    confidential = globus_sdk.ConfidentialAppAuthClient(service["id"], credential["secret"])
    own = confidential.oauth2_client_credentials_tokens(requested_scopes="openid")
    check(own.by_resource_server["auth.globus.org"]["access_token"], own.data)
    try:
        auth.create_client("Elsewhere", "00000000-0000-4000-8000-000000000000", public_client=True, redirect_uris=[CALLBACK])
        raise CheckFailed("an app was made in someone else's project")
    except globus_sdk.AuthAPIError as error:
        check(error.http_status == 403, error)
    for made in (native, service):
        auth.delete_client(made["id"])
    check(list(auth.get_clients()["clients"]) == [])
    try:
        confidential.oauth2_client_credentials_tokens(requested_scopes="openid")
        raise CheckFailed("a deleted app still got tokens")
    except globus_sdk.AuthAPIError as error:
        check(error.http_status == 401, error)
    print("globus-sdk AuthClient: get_projects, create_client (native, service), create_client_credential, get_clients, get_client, delete_client: ok")


def authlib_relying_party():
    discovery = requests.get(AUTH + "/.well-known/openid-configuration").json()
    check(discovery["issuer"] == AUTH and discovery["jwks_uri"].startswith(AUTH), discovery)
    session = OAuth2Session(
        PORTAL_ID,
        PORTAL_SECRET,
        scope="openid profile email",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    url, state = session.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    location = sign_in_and_allow(url)
    check(parse_qs(urlparse(location).query)["state"] == [state])
    token = session.fetch_token(discovery["token_endpoint"], authorization_response=location, code_verifier=verifier)
    keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"]).json())
    claims = JsonWebToken(["RS512"]).decode(
        token["id_token"],
        keys,
        claims_options={
            "iss": {"essential": True, "value": discovery["issuer"]},
            "aud": {"essential": True, "value": PORTAL_ID},
            "nonce": {"essential": True, "value": nonce},
        },
    )
    claims.validate()
    userinfo = session.get(discovery["userinfo_endpoint"]).json()
    check(userinfo["sub"] == claims["sub"] and userinfo["preferred_username"] == USERNAME, userinfo)
    print("authlib: discovery, code + PKCE + nonce, id token verified with JWKS, userinfo: ok")


if __name__ == "__main__":
    globus_sdk_confidential()
    globus_sdk_native()
    globus_sdk_groups()
    globus_sdk_client_registration()
    authlib_relying_party()
    sys.exit(0)
