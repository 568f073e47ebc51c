"""The portal's API from Python: sign in with a native app (globus-sdk), then find a dataset,
transfer it to your own storage and follow the task, and ask for graphs of it (and, on the way,
read a list to its end the way every list of the API pages).

    python examples/portal_api.py --auth http://127.0.0.1:8081 --portal http://127.0.0.1:8080 \
        --client-id <your native app's id> --scope <the portal's scope>

Register the native app on the portal's Developer page with the redirect URI
<auth>/v2/web/auth-code: the provider shows the code there for you to paste here.
"""

import argparse
import os
import time

import globus_sdk
import requests


def token(auth, client_id, scope):
    """A token for the portal's scope, for whoever signs in (the native app login)."""
    os.environ.setdefault("GLOBUS_SDK_SERVICE_URL_AUTH", auth.rstrip("/") + "/")
    client = globus_sdk.NativeAppAuthClient(client_id)
    client.oauth2_start_flow(requested_scopes=scope, redirect_uri=auth.rstrip("/") + "/v2/web/auth-code")
    print("Sign in at:", client.oauth2_get_authorize_url(), flush=True)
    code = input("Code: ").strip()
    tokens = client.oauth2_exchange_code_for_tokens(code)
    return tokens.by_scopes[scope]["access_token"]


def main():
    parser = argparse.ArgumentParser()
    for option in ("--auth", "--portal", "--client-id", "--scope"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    api = requests.Session()
    api.headers["Authorization"] = "Bearer " + token(args.auth, args.client_id, args.scope)
    portal = args.portal.rstrip("/")

    def call(method, path, **kwargs):
        response = api.request(method, portal + path, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def every(path, items, **params):
        """Every item of a list, a page at a time: each page says where the next one is."""
        page = call("GET", path, params=params)
        yield from page[items]
        while page["next"]:
            page = call("GET", page["next"])
            yield from page[items]

    catalog = list(every("/api/datasets", "results", per_page=2))
    print("the catalog holds", len(catalog), "datasets you may read")

    found = call("GET", "/api/datasets", params={"q": "seattle"})
    dataset = found["results"][0]
    print("found", dataset["id"], dataset["title"])

    mine = call("GET", "/api/collections", params={"filter": "my-endpoints"})["collections"][0]
    task = call("POST", "/api/transfers", json={
        "datasets": [dataset["id"]],
        "destination_collection": mine["id"],
        "destination_path": "/from-python/",
    })["task_id"]
    while (status := call("GET", f"/api/transfers/{task}"))["status"] in ("active", "inactive"):
        time.sleep(0.5)
    print("transfer", task, status["status"])

    job = call("POST", "/api/graphs", json={"datasets": [dataset["id"]], "from_year": 2012, "to_year": 2012})
    while (job := call("GET", f"/api/graphs/{job['id']}"))["status"] not in ("succeeded", "failed"):
        time.sleep(0.5)
    print("graphs", job["id"], job["status"])
    for link in call("POST", f"/api/graphs/{job['id']}/links", json={})["links"]:
        print(link["name"], link["url"])


if __name__ == "__main__":
    main()
