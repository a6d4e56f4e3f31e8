from django.contrib.staticfiles import finders


def test_every_page_names_the_icon_and_the_icon_exists(client, db):
    page = client.get("/logowanie/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
