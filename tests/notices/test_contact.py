from django.urls import reverse

from audit.models import AuditRecord
from demo.notices import seed_contact
from notices.models import ContactInfo, ContactPerson

FORM = {
    "phone": "0311-87904020",
    "fax": "0311-87904020",
    "email": "hebeirwgh@163.com",
    "address": "石家庄市维明南大街46号",
    "postcode": "050052",
    "note": "工作日 9:00—17:00",
    "people-TOTAL_FORMS": "2",
    "people-INITIAL_FORMS": "0",
    "people-MIN_NUM_FORMS": "0",
    "people-MAX_NUM_FORMS": "20",
    "people-0-name": "办公室",
    "people-0-position": "综合协调",
    "people-0-phone": "0311-87807697",
    "people-1-name": "",
    "people-1-position": "",
    "people-1-phone": "",
}


def test_contact_page_is_public(client, db):
    seed_contact()
    response = client.get(reverse("notices:contact"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-contact="phone">0311-87904020、0311-87807697<' in content
    assert 'data-contact="fax">0311-87904020<' in content
    assert "hebeirwgh@163.com" in content
    assert 'data-contact="address">石家庄市维明南大街46号省委宣传部政研会<' in content
    assert 'data-contact="postcode">050052<' in content
    assert "data-contact-person" not in content


def test_contact_page_empty_state(client, db):
    response = client.get(reverse("notices:contact"))
    assert 'data-testid="contact-empty"' in response.content.decode()


def test_contact_staff_edits_the_page_with_people(world, client_for):
    client = client_for(world.province_staff)
    response = client.post(reverse("notices:contact-edit"), FORM)
    assert response.status_code == 302
    contact = ContactInfo.objects.get()
    assert (contact.phone, contact.postcode, contact.note) == ("0311-87904020", "050052", "工作日 9:00—17:00")
    assert list(ContactPerson.objects.values_list("name", "position", "phone")) == [
        ("办公室", "综合协调", "0311-87807697")
    ]
    record = AuditRecord.objects.get(action="contact.update")
    assert record.details["changed"]["people"] == [
        [],
        [{"name": "办公室", "position": "综合协调", "phone": "0311-87807697"}],
    ]
    content = client.get(reverse("notices:contact")).content.decode()
    assert content.count("data-contact-person") == 1


def test_contact_edit_form_removes_a_person(world, client_for):
    client = client_for(world.province_staff)
    client.post(reverse("notices:contact-edit"), FORM)
    client.post(
        reverse("notices:contact-edit"),
        {**FORM, "people-INITIAL_FORMS": "1", "people-0-DELETE": "on"},
    )
    assert ContactPerson.objects.count() == 0


def test_contact_bad_postcode_stays_on_the_form(world, client_for):
    response = client_for(world.province_staff).post(reverse("notices:contact-edit"), {**FORM, "postcode": "05005"})
    assert response.status_code == 200
    assert 'data-field-error="postcode"' in response.content.decode()
    assert ContactInfo.objects.count() == 0


def test_contact_saving_unchanged_page_writes_no_audit_row(world, client_for):
    client = client_for(world.province_staff)
    client.post(reverse("notices:contact-edit"), FORM)
    client.post(reverse("notices:contact-edit"), {**FORM, "people-INITIAL_FORMS": "1"})
    assert AuditRecord.objects.filter(action="contact.update").count() == 1


def test_contact_person_without_name_is_refused(world, client_for):
    response = client_for(world.province_staff).post(
        reverse("notices:contact-edit"), {**FORM, "people-0-name": "", "people-0-phone": "0311-87807697"}
    )
    assert response.status_code == 200
    assert 'data-field-error="name"' in response.content.decode()
    assert ContactInfo.objects.count() == 0
