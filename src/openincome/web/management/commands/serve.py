import socket

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the web app (static files included) with a multi-threaded WSGI server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from openincome.wsgi import application

        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                raise CommandError(
                    f"port {port} on {host} is in use: stop the other server or use --port",
                    returncode=1,
                ) from None
        self.stdout.write(f"Open Income is serving on http://{host}:{port}/ (Ctrl+C stops it)")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="openincome",
              _quiet=True)
