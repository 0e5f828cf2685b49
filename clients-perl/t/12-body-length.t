use strict;
use warnings;

# The envelope's bodyLength (docs/http-mapping.md): the handler fetches the body message only
# when bodyLength says there is a body, and an envelope without the field (an older proxy)
# is served as before. Envelopes are sent by hand here, so each case controls what waits on
# bodyAddr and can see whether the handler took it.

use FindBin;
use lib "$FindBin::Bin/lib", "$FindBin::Bin/../lib";
use Test::More;
use JSON::PP;
use POSIX ();
use Msglite;
use Plack::Handler::Msglite;
use MsgliteTest qw(start_daemon);

my $d   = start_daemon();
my $app = sub {
    my $env = shift;
    my $n = $env->{'psgi.input'}->read(my $body, 100) || 0;
    [200, ['Content-Type' => 'text/plain'], ["read $n: " . ($body // '')]];
};
my $handler = fork // die;
if (!$handler) {
    open STDERR, '>>', $d->dir . '/handler.log';
    Plack::Handler::Msglite->new(connect => 'unix:' . $d->unix)->run($app);
    POSIX::_exit(0);
}

my $m = Msglite->at_unix_socket($d->unix);
my $n = 0;

# Sends one envelope as the proxy would and returns the response body the handler sent back.
sub ask {
    my (%fields) = @_;
    my $reply = 'perl.reply.' . ++$n;
    my %envelope = (method => 'POST', url => '/', protocol => 'HTTP/1.1', headers => { Host => 'x' },
                    path => '/', query => '', %fields);
    $m->send(JSON::PP->new->canonical->encode(\%envelope), 10, 'msglite.httpRequests', $reply);
    my $head = $m->ready(10, $reply) or die "no reply head\n";
    like($head->body, qr/^\["?200"?/, 'reply head');
    my $body = '';
    while (1) {
        my $piece = $m->ready(10, $reply) or die "reply not ended\n";
        last if $piece->body eq '';
        $body .= $piece->body;
    }
    return $body;
}

subtest 'bodyLength 0: the body message is left alone' => sub {
    $m->send('unread', 10, 'perl.body.1');
    is(ask(bodyAddr => 'perl.body.1', bodyLength => 0), 'read 0: ', 'the app sees no body');
    my $left = $m->ready(0, 'perl.body.1');
    is($left && $left->body, 'unread', 'the handler never readied on bodyAddr');
};

subtest 'bodyLength above 0: the body is fetched' => sub {
    $m->send('posted', 10, 'perl.body.2');
    is(ask(bodyAddr => 'perl.body.2', bodyLength => 6), 'read 6: posted', 'the app reads the body');
    is($m->ready(0, 'perl.body.2'), undef, 'nothing left on bodyAddr');
};

subtest 'no bodyLength (an older proxy): Content-Length decides, as before' => sub {
    $m->send('older', 10, 'perl.body.3');
    is(ask(bodyAddr => 'perl.body.3', headers => { Host => 'x', 'Content-Length' => '5' }), 'read 5: older',
       'the announced body is read');
};

$m->quit;
kill TERM => $handler;
waitpid $handler, 0;
done_testing;
