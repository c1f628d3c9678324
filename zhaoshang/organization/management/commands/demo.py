"""Load the demo data on first run and print the demo accounts (used by `make run`)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from zhaoshang.organization import demo
from zhaoshang.organization.models import User


class Command(BaseCommand):
    help = "Load demo units and accounts if the database has none, then print the accounts."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where to log in")
        parser.add_argument("--no-load", action="store_true", help="only print the accounts")

    def handle(self, *args, url, no_load, **options):
        translation.activate("zh-hans")
        if not demo.demo_loaded():
            if no_load:
                self.stdout.write("No demo data loaded.")
                return
            self.stdout.write("Loading the demo data (a generated district) …")
            demo.load_demo()
            self.stdout.write("Demo data loaded.")
        elif not User.objects.filter(username="bureau").exists():
            self.stdout.write("The database has data of its own; no demo accounts.")
            return
        self.stdout.write("")
        self.stdout.write(f"Zhaoshang is starting at {url}  (log in there)")
        self.stdout.write("Demo accounts (initial passwords):")
        for line in demo.account_lines():
            self.stdout.write(line)
        self.stdout.write("")
