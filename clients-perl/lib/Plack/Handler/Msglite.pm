package Plack::Handler::Msglite;

use strict;
use warnings;

use Config ();
use Msglite;
use Msglite::PSGI::Env ();
use Msglite::PSGI::Reply;
use Msglite::PSGI::Prefork;

our $VERSION = '0.02';

# How long an idle worker's ready lasts. It bounds how late a worker notices that its master
# died; stopping does not wait for it (see _leave).
use constant READY_SECONDS => 5;
# The proxy queues the body before the envelope, so it is there at once; this only guards
# against a peer that never sends it.
use constant BODY_SECONDS => 10;
# Readies a worker keeps outstanding on the request address (see "prefetch" below).
# 8 takes most of the gain measured with a hello-world app (docs/BENCHMARKS.md: 1 -> 8 doubled
# the rate, 8 -> 16 added about a tenth) while a crash costs at most 8 requests (see CRASHES).
use constant DEFAULT_PREFETCH => 8;

=head1 NAME

Plack::Handler::Msglite - serve a PSGI app behind the msglite HTTP proxy

=head1 SYNOPSIS

    msglite server -http-address 127.0.0.1:8080 &
    plackup -s Msglite --connect unix:/tmp/msglite.socket app.psgi
    plackup -s Msglite --connect tcp:127.0.0.1:9813 --workers 4 -E deployment app.psgi
    plackup -s Msglite --workers 4 --prefetch 1 longpoll.psgi

=head1 DESCRIPTION

A msglite client that readies on the proxy's request address, turns each
request envelope into a PSGI environment (F<docs/http-mapping.md>), calls the
app and sends the response back as messages: the head, the body pieces (each
piece of a streaming response as soon as it is written) and the empty message
that ends it.

Without C<--workers> it is one process. With C<--workers N> a master keeps N
worker processes, each with its own connections; the daemon hands each request
to the worker that readied first. A busy worker takes up to C<--prefetch>
queued requests at once (see below).

Signals: TERM and INT withdraw the worker's outstanding readies at once, finish
the requests the daemon had already handed it and stop; requests not yet taken
stay queued in the daemon for whoever readies next. HUP does the same and
then re-executes the original command line, so the app and every module are
loaded afresh (with workers, the new ones start while the old ones finish).

=head1 CRASHES

A graceful stop (TERM, INT, HUP, C<psgix.harakiri>) loses nothing, whatever
the prefetch: the worker withdraws its unanswered readies, serves every
request the daemon had already handed it, sends the replies and exits.

A worker that dies without that (kill -9, the OOM killer, a crash in XS code,
C<exit> called by the app, a second TERM to a stopping pool) cannot give
anything back: the protocol has no acknowledgements, and a request the daemon
has handed over is no longer queued. Lost are the requests the worker held:
the one it was serving and those it had taken with it, up to C<prefetch> in
all (no more than were queued when its waiting ready was answered), including
ones already answered whose replies were still corked (a batch's replies leave
together). Their HTTP clients get a 504 from the proxy once
C<-http-reply-timeout> has passed (180 s by default); one whose response head
was already out has its connection closed then. Nothing else is lost: the
daemon withdraws the readies it had not answered, so queued requests wait for
the other workers, and the pool starts a new one. With C<--prefetch 1> a crash
costs at most the request in hand, as in any preforking server.

=head1 OPTIONS

=over

=item connect

The daemon: C<unix:PATH>, C<tcp:HOST:PORT>, a socket path or C<HOST:PORT>.
Default C</tmp/msglite.socket>, the daemon's default.

=item address

The request address the proxy sends envelopes to (its C<-http-msg-address>).
Default C<msglite.httpRequests>.

=item workers

Number of preforked worker processes; 0 or absent means a single process.

=item prefetch

How many readies each worker keeps outstanding on the request address: up to
this many requests reach a worker in one read, are served one after another,
and their replies leave in one write. Default 8; the environment variable
C<MSGLITE_PREFETCH> sets it when the option is absent. 1 is one request per
round trip.

Only requests that are already queued are taken in advance: one ready waits
in the daemon's line, and the others are polls that run once it is answered,
so a busy worker is never handed a request a free one could take, and light
traffic is spread over the workers as before. Under load, a request may wait in a worker
behind the (up to prefetch - 1) requests fetched with it, even while another
worker has just become free. With quick requests that costs little and saves
system calls and wakeups on every request; with slow or long-lived ones
(long polling, server-sent events, large uploads) use C<--prefetch 1>.
It is also how many requests a crashed worker can lose (see L</CRASHES>).

=item reexec

The command (an array reference) that HUP executes. Default: the command line
that started this process, when it was started from a script file; otherwise
HUP restarts only the workers of a pool, and a single process ignores it.

=back

=head1 METHODS

=over

=item new

    my $server = Plack::Handler::Msglite->new(connect => 'unix:/tmp/msglite.socket', workers => 4);

Takes the options above (C<plackup> passes its own C<host>, C<port> and C<listen>
too; they mean nothing here and are ignored).

=cut

sub new {
    my ($class, %args) = @_;
    my $workers = $args{workers} || 0;
    die "msglite: --workers must be a whole number, not '$workers'\n" unless $workers =~ /\A\d+\z/;
    my $address = defined $args{address} ? $args{address} : 'msglite.httpRequests';
    die "msglite: --address must be one token without whitespace\n" unless $address =~ /\A\S+\z/;
    my $prefetch = defined $args{prefetch} ? $args{prefetch}
                 : defined $ENV{MSGLITE_PREFETCH} ? $ENV{MSGLITE_PREFETCH} : DEFAULT_PREFETCH;
    die "msglite: --prefetch must be a whole number of at least 1, not '$prefetch'\n"
        unless $prefetch =~ /\A\d+\z/ && $prefetch >= 1;
    return bless {
        connect      => $args{connect} || '/tmp/msglite.socket',
        address      => $address,
        workers      => 0 + $workers,
        prefetch     => 0 + $prefetch,
        drain        => [],
        server_ready => $args{server_ready},
        reexec       => $args{reexec} || _command_line(),
        stopping     => 0,
    }, $class;
}

=item run

    $server->run($app);

Serves until TERM or INT. Called by C<plackup>.

=cut

sub run {
    my ($self, $app) = @_;
    $self->{server_ready}->({ server_software => __PACKAGE__, host => $self->{connect},
                              port => $self->{address}, proto => 'msglite' })
        if $self->{server_ready};
    if ($self->{workers}) {
        my $master_pid = $$;
        Msglite::PSGI::Prefork->new(workers => $self->{workers}, reexec => $self->{reexec})
            ->run(sub { $self->_worker($app, $master_pid) });
        return;
    }
    my $reload = 0;
    local $SIG{HUP} = $self->{reexec}
        ? sub { $reload = 1; $self->{stopping} = 1 }
        : sub { warn "msglite: HUP ignored: not started from a script file, nothing to re-execute\n" };
    $self->_worker($app);
    if ($reload && $self->{reexec}) {
        warn "msglite: reloading: exec @{ $self->{reexec} }\n";
        exec { $self->{reexec}[0] } @{ $self->{reexec} };
        warn "msglite: exec failed: $!\n";
    }
}

=back

=cut

# How we were started, to start again on HUP: the interpreter, the library paths added in
# front of Perl's own (-I, PERL5LIB, use lib), the script and its arguments.
sub _command_line {
    return undef unless -f $0;
    my %standard = map { defined $_ ? ($_ => 1) : () } @Config::Config{qw(privlibexp archlibexp sitelibexp
                                                                          sitearchexp vendorlibexp vendorarchexp)};
    my @added;
    for my $dir (@INC) {
        last if !ref $dir && $standard{$dir};
        push @added, "-I$dir" unless ref $dir;
    }
    return [$^X, @added, $0, @ARGV];
}

# One worker: connect, serve, and reconnect if the daemon goes away, until told to stop.
# Two connections: requests arrive on one, where up to `prefetch` readies wait in a row (the
# daemon runs a connection's commands in order, so a reply sent there would wait behind them);
# replies and request bodies travel on the other.
sub _worker {
    my ($self, $app, $master_pid) = @_;
    $self->{master_pid} = $master_pid;
    $self->{stopping}   = 0;
    local $SIG{TERM} = local $SIG{INT} = sub { $self->_stop };
    # A pool worker stops on HUP too (its master re-executes); alone, run() set HUP to reload.
    local $SIG{HUP} = $master_pid ? sub { $self->_stop } : $SIG{HUP};
    while (!$self->{stopping}) {
        my $requests = $self->_connect or last;
        my $replies  = $self->_connect or do { $requests->quit; last };
        # Both corked: readies and replies leave when the worker is about to wait (see _serve).
        $requests->cork;
        $replies->cork;
        $self->{drain} = [];
        local $self->{requests} = $requests;    # for _stop
        my $ok = eval { $self->_serve($requests, $replies, $app); 1 };
        my $err = $@;
        $replies->quit;
        $requests->quit;
        next if $ok;
        warn "msglite: worker $$: $err" unless $self->{stopping};
        sleep 1 unless $self->{stopping};
    }
}

sub _connect {
    my ($self) = @_;
    my $warned;
    until ($self->{stopping}) {
        my $conn = eval { Msglite->connect($self->{connect}) };
        return $conn if $conn;
        warn "$@msglite: retrying every second\n" unless $warned++;
        sleep 1;
    }
    return;
}

# The request loop. Envelopes that arrived together are served one after another, their
# replies corked; only when the next envelope is not already here (the worker would block)
# do the replies go out, in one write. Once every ready is answered, they are issued again, in
# one write. So an idle worker answers at once, and a busy one pays its system calls per batch.
sub _serve {
    my ($self, $requests, $replies, $app) = @_;
    my $outstanding = 0;    # readies written on $requests and not yet answered
    while (1) {
        return $self->_leave($requests, $replies, $app, $outstanding) if $self->{stopping};
        if (!$requests->reply_buffered) {
            $self->_settle($replies);
            $outstanding = $self->_readies($requests) unless $outstanding;
            next if $self->{stopping};
        }
        my $msg = eval { $requests->read_reply(sub { $self->{stopping} }) };
        next if ref $@ eq 'Msglite::Interrupted';    # stopping: the loop's first line leaves
        die $@ if $@;
        $outstanding--;
        if (!$msg) {    # a poll found nothing, or the ready timed out: a moment to notice an orphan
            $self->{stopping} = 1 if $self->{master_pid} && getppid() != $self->{master_pid};
            next;
        }
        $self->_request($replies, $app, $msg);
    }
}

# One ready that waits in the address's line, then prefetch - 1 polls (timeout 0). The daemon
# takes up a connection's commands in order, so the polls run only once the first ready is
# answered, and take the requests queued at that moment, or answer '*' at once. Never waiting
# in the line, they cannot draw a request to this worker while it is busy and another is free.
# Returns how many readies are outstanding.
sub _readies {
    my ($self, $requests) = @_;
    local $self->{writing_readies} = 1;    # see _stop
    $requests->send_ready(READY_SECONDS, $self->{address});
    $requests->send_ready(0, $self->{address}) for 2 .. $self->{prefetch};
    $requests->flush;
    return $self->{prefetch};
}

# TERM, INT (and HUP in a pool): withdraw the outstanding readies at once, so that requests
# arriving from now on stay queued for other workers rather than wait behind the request in
# hand. Perl runs this between two operations of the main code; while that is writing readies,
# the shutdown waits for _serve's next turn (a write after it would fail).
sub _stop {
    my ($self) = @_;
    $self->{stopping} = 1;
    my $requests = $self->{requests};
    eval { $requests->shutdown_write } if $requests && $requests->connected && !$self->{writing_readies};
}

# Sends the corked replies. From an older proxy (no bodyLength), polls that drain the empty
# bodies nobody read ride along, and their answers are read here.
sub _settle {
    my ($self, $replies) = @_;
    my @drain = splice @{ $self->{drain} };
    $replies->send_ready(0, $_) for @drain;
    $replies->flush;
    $replies->read_reply for @drain;
}

# Stopping, losslessly: closing the sending side of the request connection makes the daemon
# withdraw the readies it has not answered; envelopes it had already sent still arrive, up to
# the end of the stream, and are served on the reply connection, which still works.
# Requests nobody took stay queued for the next worker.
sub _leave {
    my ($self, $requests, $replies, $app, $outstanding) = @_;
    $requests->shutdown_write if $outstanding;    # again, when _stop did: harmless
    while ($outstanding-- > 0) {
        my $msg = eval { $requests->read_reply };
        last if $@;    # the end of the stream: the daemon withdrew the rest
        $self->_request($replies, $app, $msg) if $msg;
    }
    $self->_settle($replies);
    return;
}

# Serves one request, answering on $conn (the reply connection, corked).
sub _request {
    my ($self, $conn, $app, $msg) = @_;
    my $e = eval { Msglite::PSGI::Env::decode_envelope($msg->body) };
    my $reply = Msglite::PSGI::Reply->new($conn, $msg->reply_addr, $e && $e->{method});
    if (!$e) {
        warn "msglite: dropping a message on $self->{address}: $@";
        _fail($reply) if length $msg->reply_addr;
        return;
    }
    my $env = Msglite::PSGI::Env::build($e, { multiprocess => $self->{workers} > 0,
                                                harakiri => $self->{workers} > 0 });
    $self->_input($conn, $e, $env);
    $env->{'psgix.cleanup'} = 1;
    $env->{'psgix.cleanup.handlers'} = [];
    if (!eval { _call($app, $env, $reply); 1 }) {
        my $err = $@;
        die $err unless $conn->connected;    # our own connection broke: reconnect
        warn "msglite: $env->{REQUEST_METHOD} $env->{REQUEST_URI}: $err";
        # Past the head no status can be sent: abort, so the client does not take the
        # cut-off body for a whole one.
        $reply->head_sent ? $reply->abort("the application died after the response started") : _fail($reply);
    }
    if (@{ $env->{'psgix.cleanup.handlers'} }) {
        $self->_settle($conn);    # the client has its answer before the cleanup runs
        $_->($env) for @{ $env->{'psgix.cleanup.handlers'} };
    }
    $self->{stopping} = 1 if $env->{'psgix.harakiri.commit'} && $self->{workers};
    return;
}

# Reads the body when there is one. A proxy that sends bodyLength says so exactly, and drops
# an empty body message by itself. From an older proxy, a request that announced no body has
# an empty body message, drained by a poll that rides along with the replies (saving a round
# trip; see _settle).
sub _input {
    my ($self, $conn, $e, $env) = @_;
    my $body = '';
    my $has_body = defined $e->{bodyLength} ? $e->{bodyLength} > 0 : Msglite::PSGI::Env::has_body($e);
    if ($has_body) {
        $self->_settle($conn);    # the answers of earlier drain polls come first
        my $msg = $conn->ready(BODY_SECONDS, $e->{bodyAddr});
        if ($msg) {
            $body = $msg->body;
        } else {
            warn "msglite: the body of $e->{method} $e->{url} did not arrive\n";
        }
        # The proxy has de-chunked the body; tell the app its length, as PSGI servers do.
        delete $env->{HTTP_TRANSFER_ENCODING};
        $env->{CONTENT_LENGTH} = length $body;
    } elsif (!defined $e->{bodyLength}) {
        push @{ $self->{drain} }, $e->{bodyAddr};
    }
    open my $input, '<', \$body or die "msglite: in-memory input: $!";
    $env->{'psgi.input'} = $input;
    return;
}

sub _call {
    my ($app, $env, $reply) = @_;
    my $res = $app->($env);
    if (ref $res eq 'CODE') {
        $res->(sub { $reply->respond($_[0]) });
        die "the application's delayed response never called the responder\n" unless $reply->head_sent;
        # A blocking server cannot wait for a writer kept for later: end what was written.
        $reply->end;
    } else {
        $reply->respond($res);
    }
}

sub _fail {
    my ($reply) = @_;
    $reply->respond([500, ['Content-Type' => 'text/plain'], ["Internal Server Error\n"]]);
}

1;
