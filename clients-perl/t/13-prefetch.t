use strict;
use warnings;

# A worker keeps several readies outstanding (the prefetch option): queued requests reach it
# several to a read, each is answered on its own reply address, request bodies are fetched on
# the reply connection, streamed pieces still leave one by one, and a TERM with requests
# queued and readies outstanding loses none. Envelopes are sent by hand where the test must
# control what is queued; the rest goes through the real proxy. (What a crash costs: t/14-crash.t.)

use FindBin;
use lib "$FindBin::Bin/lib", "$FindBin::Bin/../lib";
use Test::More;
use Digest::MD5 qw(md5_hex);
use JSON::PP;
use POSIX ();
use Msglite;
use Plack::Handler::Msglite;
use MsgliteTest qw(start_daemon http http_bg wait_for slurp);

my $d    = start_daemon('-metrics-address', '127.0.0.1:0');    # metrics: see the TERM subtest
my $flag = $d->dir . '/flag';
sub touch { open my $fh, '>', $_[0] or die "$_[0]: $!"; close $fh }

my $app = sub {
    my $env  = shift;
    my $path = $env->{PATH_INFO};
    return [200, ['Content-Type' => 'text/plain'], ["n=$1 pid=$$"]] if $path =~ m{\A/n/(\d+)\z};
    if ($path =~ m{\A/post/(\d+)\z}) {
        my $got = $env->{'psgi.input'}->read(my $body, $env->{CONTENT_LENGTH} || 0) || 0;
        return [200, ['Content-Type' => 'text/plain'], ["n=$1 read=$got md5=" . md5_hex($body // '')]];
    }
    if ($path eq '/hold') {    # keeps the worker busy until the test says so
        touch("$flag.held");
        select undef, undef, undef, 0.02 until -e "$flag.release";
        return [200, ['Content-Type' => 'text/plain'], ["held pid=$$"]];
    }
    if ($path eq '/stream') {
        return sub {
            my $writer = $_[0]->([200, ['Content-Type' => 'text/plain']]);
            $writer->write("first\n");
            # The test creates the flag only after it has read "first": proof it was sent alone.
            my $seen = eval { wait_for('the flag', 10, sub { -e "$flag.stream" }) };
            $writer->write($seen ? "second\n" : "flag never came\n");
            $writer->close;
        };
    }
    return [404, ['Content-Type' => 'text/plain'], ['no such path']];
};

sub start_handler {
    my (%opt) = @_;
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        open STDERR, '>>', $d->dir . '/handler.log';
        Plack::Handler::Msglite->new(connect => 'unix:' . $d->unix, %opt)->run($app);
        POSIX::_exit(0);
    }
    return $pid;
}

sub stop_handler {
    my ($pid) = @_;
    kill TERM => $pid;
    wait_for("handler $pid to exit", 30, sub { waitpid($pid, POSIX::WNOHANG()) == $pid });
    return $? >> 8;
}

# Read system calls of a process so far (Perl's sysread is read(2), which this counts).
sub reads { my ($n) = slurp("/proc/$_[0]/io") =~ /^syscr:\s*(\d+)/m; return $n }

my $m = Msglite->at_unix_socket($d->unix);
my $seq = 0;

# Queues one envelope as the proxy would (the body first, when there is one); returns its
# reply address. Without bodyLength it looks like the original proxy's.
sub envelope {
    my ($method, $path, $body, %opt) = @_;
    my $id = ++$seq;
    my %e = (method => $method, url => $path, path => $path, query => '', protocol => 'HTTP/1.1',
             headers => { Host => 'x', defined $body ? ('Content-Length' => length $body) : () },
             bodyAddr => "perl.prefetch.body.$id");
    $e{bodyLength} = defined $body ? length $body : 0 unless $opt{original};
    $m->send($body // '', 60, $e{bodyAddr});
    $m->send(JSON::PP->new->encode(\%e), 60, 'msglite.httpRequests', "perl.prefetch.reply.$id");
    return "perl.prefetch.reply.$id";
}

# The response sent to a reply address: its status and body.
sub response {
    my ($reply) = @_;
    my $head = $m->ready(30, $reply) or return ('no head', '');
    my ($status) = @{ JSON::PP->new->decode($head->body) };
    my $body = '';
    while (my $piece = $m->ready(30, $reply)) {
        return ($status, $body) if $piece->body eq '';
        $body .= $piece->body;
    }
    return ($status, "$body (not ended)");
}

# Holds the handler in /hold, queues 32 GETs and 8 POSTs behind it, releases it, and checks
# every answer. Returns how many read system calls the handler made meanwhile.
sub batch {
    my ($pid, %opt) = @_;
    unlink "$flag.held", "$flag.release";
    my $hold = envelope('GET', '/hold', undef, %opt);
    wait_for('the handler to hold', 10, sub { -e "$flag.held" });
    my $before = reads($pid);
    my (%want, %reply);
    for my $n (1 .. 40) {
        if ($n % 5) {
            $reply{$n} = envelope('GET', "/n/$n", undef, %opt);
            $want{$n} = "n=$n pid=$pid";
        } else {
            my $body = join '', map { chr(($n * $_) % 256) } 1 .. 1000 * $n;
            $reply{$n} = envelope('POST', "/post/$n", $body, %opt);
            $want{$n} = "n=$n read=" . length($body) . ' md5=' . md5_hex($body);
        }
    }
    touch("$flag.release");
    is(join(' ', response($hold)), "200 held pid=$pid", 'the held request');
    my @wrong = grep { join(' ', response($reply{$_})) ne "200 $want{$_}" } 1 .. 40;
    ok(!@wrong, 'all 40 answered, each with its own reply') or diag "wrong: @wrong";
    return reads($pid) - $before;
}

subtest 'prefetch 4: queued requests arrive several to a read, each gets its own reply' => sub {
    my $pid = start_handler(prefetch => 4);
    my $reads = batch($pid);
    # 40 requests, 8 of them with a body read of their own: 1 read per envelope and per body
    # would be 48; in fours, about 10 for the envelopes.
    cmp_ok($reads, '<', 40, "fewer reads than requests ($reads)");
    is(stop_handler($pid), 0, 'stops cleanly');
};

subtest 'prefetch 1: one request per read, as before' => sub {
    my $pid = start_handler(prefetch => 1);
    my $reads = batch($pid);
    cmp_ok($reads, '>=', 48, "a read per envelope and per body ($reads)");
    is(stop_handler($pid), 0, 'stops cleanly');
};

subtest 'an original proxy (no bodyLength): empty bodies are drained alongside the replies' => sub {
    my $pid = start_handler(prefetch => 4);
    batch($pid, original => 1);
    my @left = grep { $m->ready(0, "perl.prefetch.body.$_") } $seq - 40 .. $seq;
    ok(!@left, 'no body message left behind') or diag "left: @left";
    is(stop_handler($pid), 0, 'stops cleanly');
};

subtest 'through the proxy: 2 workers, prefetch 4, many concurrent requests and uploads' => sub {
    my $pool = start_handler(prefetch => 4, workers => 2);
    my (%bg, %want);
    for my $n (1 .. 60) {
        if ($n % 6) {
            $bg{$n} = http_bg($d, 'GET', "/n/$n");
            $want{$n} = qr/\An=$n pid=\d+\z/;
        } else {
            my $body = "upload $n " x (500 * $n);
            $bg{$n} = http_bg($d, 'POST', "/post/$n", content => $body);
            $want{$n} = qr/\An=$n read=${\ length $body} md5=${\ md5_hex($body)}\z/;
        }
    }
    my @wrong;
    for my $n (1 .. 60) {
        my ($status, $body) = $bg{$n}->result(60);
        push @wrong, "$n: $status $body" unless $status == 200 && $body =~ $want{$n};
    }
    ok(!@wrong, 'all 60 answered 200, each with its own body') or diag join "\n", @wrong;
    unlink "$flag.stream";
    my $got = '';
    my ($status) = http($d, 'GET', '/stream', data_callback => sub {
        $got .= $_[0];
        touch("$flag.stream") if $got =~ /first\n/;
    });
    is("$status $got", "200 first\nsecond\n", 'a streamed response still arrives piece by piece');
    is(stop_handler($pool), 0, 'the pool stops cleanly');
};

subtest 'TERM at the default prefetch, with requests queued and readies outstanding: none lost' => sub {
    my $k = Plack::Handler::Msglite::DEFAULT_PREFETCH;
    unlink "$flag.held", "$flag.release";
    # Queued before the handler starts: its ready takes the first, its polls the next k - 1.
    my $hold = envelope('GET', '/hold');
    my %reply = map { $_ => envelope('GET', "/n/$_") } 1 .. 20;
    my $old = start_handler();
    wait_for("the handler to hold $k requests", 30, sub {
        -e "$flag.held" && $d->address_metric('msglite_address_queued_messages', 'msglite.httpRequests') == 21 - $k });
    kill TERM => $old;
    touch("$flag.release");
    is(join(' ', response($hold)), "200 held pid=$old", 'the request in hand is finished');
    wait_for('the old handler to exit', 30, sub { waitpid($old, POSIX::WNOHANG()) == $old });
    is($? >> 8, 0, 'and it exits cleanly');
    my $new = start_handler();
    my %by;
    my @wrong;
    for my $n (1 .. 20) {
        my ($status, $body) = response($reply{$n});
        my ($pid) = $body =~ /\An=$n pid=(\d+)\z/;
        $pid && $status == 200 ? $by{$pid}++ : push @wrong, "$n: $status $body";
    }
    ok(!@wrong, 'all 20 answered, each with its own reply') or diag join "\n", @wrong;
    is($by{$old}, $k - 1, "the old handler served the " . ($k - 1) . " it had taken with the one in hand");
    is($by{$new}, 21 - $k, 'the new handler served those nobody had taken');
    is(stop_handler($new), 0, 'stops cleanly');
};

subtest 'a busy worker is handed no request while another is free' => sub {
    my $pool = start_handler(workers => 2);
    wait_for('the pool to serve', 30, sub { (http($d, 'GET', '/n/0'))[0] == 200 });
    unlink "$flag.held", "$flag.release";
    my $hold = http_bg($d, 'GET', '/hold');
    wait_for('a worker to hold', 10, sub { -e "$flag.held" });
    # One at a time: each finds the other worker free. A ready of the busy worker waiting in
    # the line would take every other one, and hold it until the release.
    my @late;
    for my $n (1 .. 6) {
        my ($status, $body) = http($d, 'GET', "/n/$n", timeout => 5);
        push @late, "$n: $status" unless $status == 200 && $body =~ /\An=$n pid=\d+\z/;
    }
    ok(!@late, 'each answered at once') or diag join "\n", @late;
    touch("$flag.release");
    like(($hold->result(30))[1], qr/\Aheld pid=\d+\z/, 'the held request is answered');
    is(stop_handler($pool), 0, 'the pool stops cleanly');
};

subtest 'the option' => sub {
    for my $bad (0, 'x', '-1', '1.5') {
        like(eval { Plack::Handler::Msglite->new(prefetch => $bad) } ? '' : $@,
             qr/--prefetch must be a whole number of at least 1/, "prefetch $bad is refused");
    }
    is(Plack::Handler::Msglite->new->{prefetch}, 8, 'default 8');
    local $ENV{MSGLITE_PREFETCH} = 2;
    is(Plack::Handler::Msglite->new->{prefetch}, 2, 'MSGLITE_PREFETCH when the option is absent');
    is(Plack::Handler::Msglite->new(prefetch => 1)->{prefetch}, 1, 'the option wins');
};

$m->quit;
done_testing;
