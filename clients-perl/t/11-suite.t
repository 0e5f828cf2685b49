use strict;
use warnings;

# Plack's own conformance suite for handlers, run against this one. The suite starts "the
# server" with Test::TCP and waits for its port; here the port is the msglite proxy's, which
# is already open, and requests sent before the handler readies simply wait in the queue.

use FindBin;
use lib "$FindBin::Bin/lib", "$FindBin::Bin/../lib";
use Test::More;
use Plack::Test::Suite;
use Plack::Handler::Msglite;
use MsgliteTest qw(start_daemon);

my $d = start_daemon();
Plack::Test::Suite->run_server_tests(
    sub {
        my ($port, $app) = @_;
        open STDERR, '>>', $d->dir . '/handler.log';    # the suite's "app dies" test logs there
        Plack::Handler::Msglite->new(connect => 'unix:' . $d->unix)->run(Plack::Middleware::Lint->wrap($app));
    },
    $d->http_port, $d->http_port,
);
done_testing;
