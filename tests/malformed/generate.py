#!/usr/bin/env python3
"""Writes the malformed-input corpus: tests/malformed/files/IMPORTER/CASE.EXT, each a small
valid export of one layout with one defect, and tests/malformed/cases.toml, the outcome
each must have (tests/malformed_corpus.rs runs them through the CLI). The outcomes are
decided here, by defect, not recorded from what Tradewind happens to do:
  error  -- refused in one sentence that contains `says`; nothing stored;
  ok     -- imported as a whole (`note` says what is made of the defect, for a partial one).
Run it again after changing a case: python3 tests/malformed/generate.py
"""

import csv
import io
import json
import os
import random
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "files")

# Small exports of every layout: the columns each reader requires, and two orders
# (the first of two lines), with what a value defect changes: (column, row).
LAYOUTS = {
    "shopify": dict(
        ext="csv", delimiter=",",
        rows=[
            ["Name", "Email", "Created at", "Currency", "Total", "Lineitem quantity", "Lineitem name", "Lineitem price", "Billing Name"],
            ["#1001", "ann@example.com", "2024-11-01 02:29:29 +0000", "EUR", "24.90", "1", "Kumo Mug", "12.45", "Ann Lee"],
            ["#1001", "", "", "", "", "1", "Kumo Saucer", "12.45", ""],
            ["#1002", "bo@example.com", "2024-11-02 10:00:00 +0000", "USD", "30.00", "2", "Tote", "15.00", "Bo Chen"],
        ],
        key="Name", amount="Total", date="Created at", quantity="Lineitem quantity",
        price="Lineitem price", currency="Currency", text="Billing Name",
    ),
    "etsy-orders": dict(
        ext="csv", delimiter=",",
        rows=[
            ["Sale Date", "Order ID", "Buyer User ID", "Full Name", "Number of Items", "Ship Zipcode", "Ship Country", "Currency", "Order Value", "Order Total", "Status"],
            ["11/01/24", "2900000000", "80000000", "Kai Weber", "1", "M5V 2T6", "CA", "USD", "27.50", "39.50", "Completed"],
            ["11/02/24", "2900000001", "80000001", "Mia Roth", "2", "10115", "DE", "EUR", "40.00", "44.90", "Completed"],
        ],
        key="Order ID", amount="Order Total", date="Sale Date", quantity=None,
        price=None, currency="Currency", text="Full Name",
    ),
    "etsy-items": dict(
        ext="csv", delimiter=",",
        rows=[
            ["Sale Date", "Item Name", "Buyer", "Quantity", "Price", "Item Total", "Currency", "Transaction ID", "Order ID", "Order Total"],
            ["11/01/24", "Walnut Phone Stand", "etsybuyer018", "1", "27.50", "27.50", "USD", "4100000000", "2900000000", "39.50"],
            ["11/02/24", "Linen Tote", "etsybuyer019", "2", "20.00", "40.00", "EUR", "4100000001", "2900000001", "44.90"],
        ],
        key="Order ID", amount="Price", date="Sale Date", quantity="Quantity",
        price="Price", currency="Currency", text="Item Name",
    ),
    "amazon": dict(
        ext="txt", delimiter="\t",
        rows=[
            ["amazon-order-id", "purchase-date", "order-status", "product-name", "sku", "quantity", "currency", "item-price", "ship-country"],
            ["110-3000000-5000000", "2024-11-02T22:12:27+00:00", "Shipped", "Merino Throw", "NWT-1007", "1", "USD", "129.00", "US"],
            ["110-3000000-5000001", "2024-11-03T10:00:00+00:00", "Shipped", "Furoshiki Wrap", "SSF-1038", "2", "USD", "22.00", "US"],
        ],
        key="amazon-order-id", amount="item-price", date="purchase-date", quantity="quantity",
        price="item-price", currency="currency", text="product-name",
    ),
    "ebay": dict(
        ext="csv", delimiter=",",
        preamble=[[""], ["Seller Hub orders report"]],
        rows=[
            ["Sales Record Number", "Order Number", "Buyer Username", "Buyer Email", "Ship To Country", "Item Number", "Item Title", "Quantity", "Sold For", "Total Price", "Sale Date"],
            ["100", "10-10000-20000", "priyakim50", "priya@example.com", "AU", "330000000000", "Furoshiki Wrap", "2", "AU $33.44", "AU $76.76", "Nov-06-24"],
            ["101", "11-10007-20003", "jacksmith184", "jack@example.com", "US", "330000000011", "Stoneware Mug", "1", "$36.48", "$36.48", "Nov-07-24"],
        ],
        key="Order Number", amount="Total Price", date="Sale Date", quantity="Quantity",
        price="Sold For", currency=None, text="Item Title",
    ),
    "woocommerce": dict(
        ext="csv", delimiter=",",
        rows=[
            ["order_id", "order_date", "status", "order_total", "order_currency", "billing_email", "billing_country", "line_item_1"],
            ["501", "2025-05-02 14:30:00", "wc-completed", "41.50", "GBP", "bob@example.co.uk", "GB", "name:Kumo Mug|product_id:13|sku:MUG-1|quantity:1|total:36.00"],
            ["502", "2025-05-03 09:00:00", "wc-completed", "12.00", "EUR", "carla@example.it", "IT", "name:Tote|product_id:14|sku:TT-1|quantity:2|total:12.00"],
        ],
        key="order_id", amount="order_total", date="order_date", quantity=None,
        price=None, currency="order_currency", text="billing_email",
    ),
}

OTHER = {
    "listings": dict(
        ext="csv", delimiter=",",
        rows=[
            ["Handle", "Title", "Body (HTML)", "Vendor", "Variant SKU", "Variant Price"],
            ["kumo-mug", "Kumo Mug", "<p>Stoneware, 350 ml</p>", "Kumo", "KSM-1", "24.90"],
            ["linen-tote", "Linen Tote", "<p>Waxed canvas</p>", "Kumo", "LT-1", "39.00"],
        ],
        key="Handle", amount="Variant Price", text="Title",
    ),
    "reviews": dict(
        ext="csv", delimiter=",",
        rows=[
            ["title", "body", "rating", "review_date", "reviewer_name", "reviewer_email", "product_handle"],
            ["Love it", "Exactly as described.", "5", "2026-10-20 12:40:59 UTC", "Jo Silva", "jo@example.com", "kumo-mug"],
            ["Chipped", "Arrived with a chip on the rim.", "2", "2026-10-21 09:57:07 UTC", "Sam Lee", "sam@example.com", "kumo-mug"],
        ],
        key="body", amount="rating", date="review_date", text="body",
    ),
    "messages": dict(
        ext="csv", delimiter=",",
        rows=[
            ["Buyer", "Order", "Date", "Message"],
            ["ann", "#1042", "2025-03-01", "Where is my order? It was due Monday."],
            ["bo", "", "2025-03-04", "Do you ship to Japan?"],
        ],
        key="Message", date="Date", text="Message",
    ),
    "glossary": dict(
        ext="csv", delimiter=",",
        rows=[
            ["source", "language", "target"],
            ["mug", "de", "Becher"],
            ["tote bag", "fr", "sac cabas"],
        ],
        key="source", text="target",
    ),
    "rates": dict(
        ext="csv", delimiter=",",
        rows=[
            ["Date", "USD", "JPY", "GBP"],
            ["2025-03-03", "1.0465", "157.10", "0.8240"],
            ["2025-02-28", "1.0411", "156.30", "0.8250"],
        ],
        key="Date", amount="USD", date="Date",
    ),
}

cases = []


def write(importer, name, data, outcome, says="", note=""):
    folder = os.path.join(FILES, importer)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data)
    cases.append(dict(file=f"{importer}/{name}", importer=importer, outcome=outcome, says=says, note=note))


def render(rows, delimiter=",", preamble=(), line_end="\r\n", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    for row in list(preamble) + rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def with_cell(spec, column, row, value):
    rows = [list(r) for r in spec["rows"]]
    rows[row][rows[0].index(column)] = value
    return rows


def header_row(spec):
    return len(spec.get("preamble", [])) + 1


def generic(importer, spec):
    """Defects of any text table, whatever it holds."""
    ext, sep, pre = spec["ext"], spec["delimiter"], spec.get("preamble", [])
    rows = spec["rows"]
    good = render(rows, sep, pre)
    name = lambda case: f"{case}.{ext}"
    first_data = header_row(spec) + 1
    # Nothing to read.
    write(importer, name("empty"), b"", "error", "is empty")
    write(importer, name("bom-only"), b"\xef\xbb\xbf", "error", "is empty")
    write(importer, name("blank-lines-only"), b"\r\n\r\n\r\n", "error", "is empty")
    # Not a table at all.
    random.seed(importer)
    write(importer, name("random-bytes"), bytes(random.randrange(256) for _ in range(2048)), "error", "")
    write(importer, name("png-named-" + ext), PNG, "error", "")
    write(importer, name("zip-named-" + ext), ZIP, "error", "")
    # Damaged text.
    if spec.get("text"):
        write(importer, name("nul-in-text"), render(with_cell(spec, spec["text"], 2, "Bo\0 Chen"), sep, pre), "error",
              f"row {first_data + 1}, column '{spec['text']}': a NUL character")
    cut = good[: good.rindex(b"\r\n", 0, len(good) - 2)]
    if importer == "ebay":
        write(importer, name("truncated-mid-quote"), cut + b'\r\n"' + rows[2][0].encode() + b',"half', "ok",
              note="eBay writes rows of no order (title and summary rows): a last row cut inside a quote, "
                   "left with no order number, is skipped like them (a partial import: that order is not read)")
    else:
        write(importer, name("truncated-mid-quote"), cut + b'\r\n"' + rows[2][0].encode() + b',"half', "error", "")
    keyless = [[cell for index, cell in enumerate(r) if rows[0][index] != spec["key"]] for r in rows]
    write(importer, name("missing-key-column"), render(keyless, sep, pre), "error", MISSING_KEY.get(importer, spec["key"]))
    # Encodings and layouts a spreadsheet writes: read as the file means.
    write(importer, name("utf16le-bom"), b"\xff\xfe" + render(rows, sep, pre).decode().encode("utf-16-le"), "ok")
    write(importer, name("utf16le-no-bom"), render(rows, sep, pre).decode().encode("utf-16-le"), "ok",
          note="UTF-16 without a byte-order mark is recognised as UTF-16")
    write(importer, name("utf8-bom"), b"\xef\xbb\xbf" + good, "ok")
    latin = [list(r) for r in rows]
    if spec.get("text"):
        latin[1][rows[0].index(spec["text"])] += " caf\u00e9"
    write(importer, name("windows-1252"), render(latin, sep, pre, encoding="cp1252"), "ok",
          note="Windows-1252 is read as such")
    write(importer, name("lf-line-ends"), render(rows, sep, pre, line_end="\n"), "ok")
    extra = render([r + ([f"Extra {i}" for i in range(3)] if i == 0 else ["x", "", "z"]) for i, r in enumerate(rows)], sep, pre)
    if importer == "rates":
        write(importer, name("extra-columns"), extra, "error", f"row 2, column 'Extra 0': not a rate")
    else:
        write(importer, name("extra-columns"), extra, "ok", note="columns Tradewind does not know are ignored")
    write(importer, name("blank-line-between-rows"), render(rows[:2], sep, pre) + b"\r\n" + render(rows[2:], sep), "ok",
          note="a blank line is skipped")
    big = [list(r) for r in rows]
    if spec.get("text"):
        big[1][rows[0].index(spec["text"])] = "long " * 20_000
    write(importer, name("hundred-kilobyte-cell"), render(big, sep, pre), "ok")
    write(importer, name("two-thousand-columns"), render([r + [f"c{i}" if n == 0 else "" for i in range(2_000)] for n, r in enumerate(rows)], sep, pre), "ok",
          note="columns Tradewind does not know are ignored, however many")
    write(importer, name("header-only"), render(rows[:1], sep, pre), "ok", note="a header with no rows imports nothing")
    ragged = [list(r) for r in rows]
    ragged[2] = ragged[2][: max(1, len(ragged[2]) // 2)]
    if importer == "rates":
        write(importer, name("ragged-short-row"), render(ragged, sep, pre), "ok",
              note="a day without some currencies' rates has rates for the others (the ECB's own file has such days)")
    else:
        write(importer, name("ragged-short-row"), render(ragged, sep, pre), "error", f"row {first_data + 1}")
    write(importer, name("duplicated-header"), render([rows[0]] + rows, sep, pre), "error", f"row {first_data}")
    if sep == ",":
        write(importer, name("semicolon-separated"), render(rows, ";", pre), "ok", note="the separator is found from the header")


def values(importer, spec):
    """Values no shop exports, and values that are not what their column holds."""
    ext, sep, pre = spec["ext"], spec["delimiter"], spec.get("preamble", [])
    row = header_row(spec) + 2  # the file's row of rows[2]
    def case(case, column, value, outcome, says):
        if column:
            write(importer, f"{case}.{ext}", render(with_cell(spec, column, 2 if importer != "shopify" else 3, value), sep, pre), outcome, says)
    shopify_row = row + 1 if importer == "shopify" else row
    at = lambda column: f"row {shopify_row}, column '{column}'"
    case("amount-not-a-number", spec.get("amount"), "12;00", "error", at(spec.get("amount")))
    case("amount-too-large", spec.get("amount"), "99999999999999999999999", "error", at(spec.get("amount")))
    case("date-not-a-date", spec.get("date"), "yesterday", "error", at(spec.get("date")))
    case("date-in-the-future", spec.get("date"), FUTURE.get(importer, ""), "error", f"row {shopify_row}, column 'order date': a date in the future")
    case("date-before-1995", spec.get("date"), PAST.get(importer, ""), "error", f"row {shopify_row}, column 'order date': a date before 1995")
    case("quantity-negative", spec.get("quantity"), "-1", "error", f"{at(spec.get('quantity'))}: a negative quantity")
    case("quantity-fraction", spec.get("quantity"), "1.5", "error", f"{at(spec.get('quantity'))}: not a whole number")
    case("price-negative", spec.get("price"), "-12.00" if importer != "ebay" else "-$36.48", "error",
         at(spec.get("price")) if importer == "ebay" else f"{at(spec.get('price'))}: a negative price")
    case("currency-not-iso-4217", spec.get("currency"), "XYZ", "error", f"{at(spec.get('currency'))}: not an ISO 4217 currency code")
    outcome, says = EMPTY_ID[importer]
    write(importer, f"order-id-empty.{ext}", render(with_cell(spec, spec["key"], 2 if importer != "shopify" else 3, ""), sep, pre),
          outcome, says, note="eBay writes rows of no order (title and summary rows): a row without an order number is skipped like them" if outcome == "ok" else "")
    footer = [list(r) for r in spec["rows"]] + [["Total"] + [""] * (len(spec["rows"][0]) - 2) + ["66.40"]]
    if importer == "ebay":
        write(importer, f"footer-row.{ext}", render(footer, sep, pre), "ok",
              note="eBay's summary rows under the orders are no order's and are skipped")
    else:
        write(importer, f"footer-row.{ext}", render(footer, sep, pre), "error", f"row {len(pre) + len(footer)}")
    twice = [list(r) for r in spec["rows"]] + [list(r) for r in spec["rows"][1:]]
    write(importer, f"orders-repeated.{ext}", render(twice, sep, pre), "ok", "",
          note="rows repeated further down belong to the orders already read; nothing is counted twice")


# Two-digit years read 00-68 as 20xx and 69-99 as 19xx (chrono's %y, as spreadsheets do).
FUTURE = {"shopify": "2099-01-01 10:00:00 +0000", "etsy-orders": "01/01/60", "etsy-items": "01/01/60",
          "amazon": "2099-01-01T10:00:00+00:00", "ebay": "Jan-01-60", "woocommerce": "2099-01-01 10:00:00"}
PAST = {"shopify": "1970-01-01 00:00:00 +0000", "etsy-orders": "01/01/90", "etsy-items": "01/01/90",
        "amazon": "1970-01-01T00:00:00+00:00", "ebay": "Jan-01-90", "woocommerce": "1970-01-01 00:00:00"}
# An order id left empty: eBay's rows of no order are skipped; every other layout writes
# an id on every row, so the row is damage.
NO_ORDER = "it is no order's (its order id is empty)"
EMPTY_ID = {"shopify": ("error", "row 4, column 'Name': every row needs the order's name"),
            "etsy-orders": ("error", f"row 3: {NO_ORDER}"), "etsy-items": ("error", f"row 3: {NO_ORDER}"),
            "amazon": ("error", f"row 3: {NO_ORDER}"), "woocommerce": ("error", f"row 3: {NO_ORDER}"),
            "ebay": ("ok", "")}
# Without its key column a file is no layout Tradewind knows.
NOT_KNOWN = "is not an orders export Tradewind knows"
MISSING_KEY = {"shopify": NOT_KNOWN, "etsy-orders": NOT_KNOWN, "etsy-items": NOT_KNOWN, "amazon": NOT_KNOWN,
               "woocommerce": NOT_KNOWN, "ebay": "row 3: this row has 10 cells but the header has 1",
               "messages": "no column holds the messages' text", "listings": "is not a Shopify product CSV",
               "reviews": "is not a reviews file Tradewind knows", "glossary": "the header row has no 'source' column",
               "rates": "the header row has no 'Date' column"}


def png(width, height, body=None):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = body if body is not None else zlib.compress(b"".join(b"\0" + b"\x80" * (width * 3) for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


PNG = png(4, 4)
ZIP = (b"PK\x03\x04" + b"\0" * 26 + b"PK\x05\x06" + b"\0" * 18)


def photos():
    """A folder of photos, each with one defect; the good one imports, the rest are skipped
    with the reason (a damaged photo does not stop the batch)."""
    folder = os.path.join(FILES, "photos")
    os.makedirs(folder, exist_ok=True)
    good = png(8, 8)
    defects = {
        "good.png": good,
        "empty.png": b"",
        "text-named.jpg": b"this is not a photo\n",
        "truncated.png": good[: len(good) // 2],
        "png-named.jpg": good,
        "jpeg-header-only.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        "huge-dimensions.png": png(60000, 60000, body=zlib.compress(b"\0" * 64)),
        "zero-size.png": png(0, 0, body=zlib.compress(b"")),
        "bad-crc.png": good[:20] + bytes([good[20] ^ 0xFF]) + good[21:],
        "webp-garbage.webp": b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8,
    }
    for name, data in defects.items():
        with open(os.path.join(folder, name), "wb") as out:
            out.write(data)
        outcome = "ok" if name in ("good.png", "png-named.jpg") else "skipped"
        cases.append(dict(file=f"photos/{name}", importer="photos", outcome=outcome, says="", note=""))


def json_reviews():
    good = [{"reviewer": "Rene Park", "date_reviewed": "11/24/2024", "star_rating": 5,
             "message": "Great gift.", "order_id": 2900000026}]
    docs = {
        "truncated.json": json.dumps(good)[:-5].encode(),
        "not-an-array.json": json.dumps({"reviews": "none"}).encode(),
        "array-of-numbers.json": b"[1, 2, 3]",
        "wrong-types.json": json.dumps([{**good[0], "star_rating": "five", "message": 7}]).encode(),
        "deeply-nested.json": b"[" * 5000 + b"]" * 5000,
        "nul-in-message.json": json.dumps([{**good[0], "message": "Great\u0000 gift"}]).encode(),
    }
    for name, data in docs.items():
        write("reviews-json", name, data, "error", "")


def main():
    shutil.rmtree(FILES, ignore_errors=True)
    for importer, spec in LAYOUTS.items():
        generic(importer, spec)
        values(importer, spec)
    for importer, spec in OTHER.items():
        generic(importer, spec)
    values_other()
    json_reviews()
    photos()
    with open(os.path.join(HERE, "cases.toml"), "w") as out:
        out.write("# Generated by generate.py: the outcome each malformed file must have.\n")
        for case in cases:
            out.write("\n[[case]]\n")
            for key in ("file", "importer", "outcome", "says", "note"):
                if case[key]:
                    out.write(f"{key} = {json.dumps(case[key], ensure_ascii=False)}\n")
    print(len(cases), "cases")


def values_other():
    listings = OTHER["listings"]
    for case, value, says in [
        ("price-negative", "-5.00", "row 3, column 'Variant Price': a negative price"),
        ("price-not-a-number", "12;50", "row 3, column 'Variant Price'"),
    ]:
        write("listings", f"{case}.csv", render(with_cell(listings, "Variant Price", 2, value)), "error", says)
    write("listings", "handle-empty.csv", render(with_cell(listings, "Handle", 2, "")), "error",
          "row 3, column 'Handle': every row needs the product's handle")
    write("listings", "title-empty.csv", render(with_cell(listings, "Title", 2, "")), "error", "row 3")
    split = [listings["rows"][0], listings["rows"][1], listings["rows"][2], listings["rows"][1]]
    write("listings", "product-rows-apart.csv", render(split), "error", "row 4, column 'Handle': the rows of this product are not together")
    reviews = OTHER["reviews"]
    for case, column, value in [("rating-not-a-number", "rating", "great"), ("rating-out-of-range", "rating", "11"),
                                ("date-not-a-date", "review_date", "someday")]:
        write("reviews", f"{case}.csv", render(with_cell(reviews, column, 2, value)), "error", f"row 3, column '{column}'")
    messages = OTHER["messages"]
    write("messages", "date-not-a-date.csv", render(with_cell(messages, "Date", 2, "someday")), "error", "row 3, column 'Date'")
    write("messages", "text-empty.csv", render(with_cell(messages, "Message", 2, "")), "ok",
          note="a row without a message is skipped")
    glossary = OTHER["glossary"]
    write("glossary", "target-empty.csv", render(with_cell(glossary, "target", 2, "")), "error",
          "row 3, column 'target': every entry needs")
    rates = OTHER["rates"]
    for case, value in [("rate-not-a-number", "one"), ("rate-negative", "-1.0465"), ("rate-zero", "0")]:
        write("rates", f"{case}.csv", render(with_cell(rates, "USD", 2, value)), "error", "row 3, column 'USD'")
    write("rates", "date-not-a-date.csv", render(with_cell(rates, "Date", 2, "someday")), "error", "row 3, column 'Date'")


if __name__ == "__main__":
    main()
