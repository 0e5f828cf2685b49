use strict;
use warnings;

# What a crash costs (the handler's POD, CRASHES): a pool worker is killed with SIGKILL while it
# serves one request and holds the prefetch - 1 it took with it, with more requests queued. The
# requests it held, and only those, get the proxy's 504 once -http-reply-timeout has passed; the
# queued ones are served by the worker the pool starts in its place.

use FindBin;
use lib "$FindBin::Bin/lib", "$FindBin::Bin/../lib";
use Test::More;
use POSIX ();
use Plack::Handler::Msglite;
use MsgliteTest qw(start_daemon http_bg wait_for slurp);

use constant REPLY_TIMEOUT => 2;
my $k = Plack::Handler::Msglite::DEFAULT_PREFETCH;
my $d = start_daemon('-http-reply-timeout', REPLY_TIMEOUT, '-metrics-address', '127.0.0.1:0');
my $flag = $d->dir . '/held';

my $app = sub {
    my $env = shift;
    if ($env->{PATH_INFO} eq '/hold') {    # tells the test its pid, then waits to be killed
        open my $fh, '>', "$flag.tmp" or die; print $fh $$; close $fh; rename "$flag.tmp", $flag;
        sleep 1 while 1;
    }
    return [200, ['Content-Type' => 'text/plain'], ["$env->{PATH_INFO} pid=$$"]];
};

sub metric { $d->address_metric($_[0], 'msglite.httpRequests') }

# Queued before the pool starts: the worker's ready takes /hold, its polls the next k - 1.
my $hold = http_bg($d, 'GET', '/hold');
wait_for('/hold to be queued', 30, sub { metric('msglite_address_sent_total') == 1 });
my %reqs = map { $_ => http_bg($d, 'GET', "/n/$_") } 1 .. 20;
wait_for('all to be queued', 30, sub { metric('msglite_address_sent_total') == 21 });

my $pool = fork // die "fork: $!";
if (!$pool) {
    open STDERR, '>>', $d->dir . '/handler.log';
    Plack::Handler::Msglite->new(connect => 'unix:' . $d->unix, workers => 1)->run($app);
    POSIX::_exit(0);
}
my $victim = wait_for('the worker to hold', 30, sub { -e $flag && slurp($flag) });
wait_for("the worker to hold $k requests", 30, sub { metric('msglite_address_queued_messages') == 21 - $k });
kill KILL => $victim;
my $killed_at = time;

my ($status) = $hold->result(30);
is($status, 504, 'the request in hand gets 504');
my (@lost, %by, @wrong);
for my $n (1 .. 20) {
    my ($st, $body) = $reqs{$n}->result(30);
    if ($st == 504) { push @lost, $n; next }
    my ($pid) = ($body // '') =~ m{\A/n/$n pid=(\d+)\z};
    $st == 200 && $pid ? $by{$pid}++ : push @wrong, "$n: $st " . ($body // '');
}
ok(!@wrong, 'every other request is 200 or 504') or diag join "\n", @wrong;
is(scalar @lost, $k - 1, "the $k - 1 taken with it get 504 too, and no others") or diag "504: @lost";
cmp_ok(time - $killed_at, '>=', REPLY_TIMEOUT - 1, 'the 504s come at the reply timeout');
ok(!$by{$victim} && keys %by == 1, 'the queued requests are served by the new worker')
    or diag explain \%by;
is(20 - @lost, (values %by)[0] // 0, "all " . (21 - $k) . " of them");

kill TERM => $pool;
wait_for('the pool to stop', 30, sub { waitpid($pool, POSIX::WNOHANG()) == $pool });
is($? >> 8, 0, 'the pool stops cleanly');
done_testing;
