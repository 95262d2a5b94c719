"""Sign and POST a sample platform delivery to the local stack, as the platform would.

    python -m local.send_webhook "@PoliceRajasthan meri bike chori ho gayi Jodhpur"
    python -m local.send_webhook --platform whatsapp "Jodhpur me mera phone chori ho gaya"
    python -m local.send_webhook --platform facebook "Ajmer me chain snatching hui"   # or instagram
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request

from chalicelib.settings import DEV_SECRETS
from local import samples
from local.samples import signed_x_body, tweet, x_delivery


def post(url: str, body: bytes, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def meta_delivery(args) -> tuple[dict, str]:
    """A Meta delivery with one citizen post, and the post's external id."""
    if args.platform == "facebook":
        change = samples.facebook_feed(args.text)
        return samples.meta_delivery("facebook", change, account_id=args.for_user_id), change["value"]["comment_id"]
    if args.platform == "instagram":
        change = samples.instagram_comment(args.text)
        return samples.meta_delivery("instagram", change, account_id=args.for_user_id), change["value"]["id"]
    message = (samples.whatsapp_message("location", latitude=args.lat, longitude=args.lon, name=args.text)
               if args.lat is not None else samples.whatsapp_message(text=args.text))
    change = samples.whatsapp_change(messages=[message], phone_number_id=args.for_user_id or samples.RAJASTHAN_WHATSAPP_ID)
    return samples.meta_delivery("whatsapp", change), message["id"]


def send_meta(args) -> int:
    delivery, external_id = meta_delivery(args)
    secret = os.environ.get("META_APP_SECRET", DEV_SECRETS["META_APP_SECRET"])
    body, headers = samples.signed_meta_body(delivery, secret)
    status, answer = post(f"http://127.0.0.1:{args.port}/webhooks/meta", body, headers)
    print(json.dumps({"status": status, "platform": args.platform, "external_id": external_id, "answer": answer},
                     ensure_ascii=False))
    return 0 if status == 200 else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--platform", choices=["x", "facebook", "instagram", "whatsapp"], default="x")
    parser.add_argument("--for-user-id", help="desk account receiving it (default: the Rajasthan desk's demo "
                                              "account on that platform, data/desk_accounts.json)")
    parser.add_argument("--mention", action="append", help="handles mentioned (default: PoliceRajasthan)")
    parser.add_argument("--tweet-id")
    parser.add_argument("--location", help="author's profile location")
    parser.add_argument("--lat", type=float)
    parser.add_argument("--lon", type=float)
    args = parser.parse_args(argv)
    if args.platform != "x":
        return send_meta(args)
    event = tweet(args.text, tweet_id=args.tweet_id, mentions=tuple(args.mention or ["PoliceRajasthan"]),
                  location=args.location, coordinates=(args.lat, args.lon) if args.lat is not None else None,
                  long_text=args.text if len(args.text) > 140 else None)
    secret = os.environ.get("X_CONSUMER_SECRET", DEV_SECRETS["X_CONSUMER_SECRET"])
    body, headers = signed_x_body(x_delivery(tweets=[event], for_user_id=args.for_user_id or "1000000001"), secret)
    status, answer = post(f"http://127.0.0.1:{args.port}/webhooks/x", body, headers)
    print(json.dumps({"status": status, "external_id": event["id_str"], "answer": answer}, ensure_ascii=False))
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
