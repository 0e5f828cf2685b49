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

=head1 NAME

Plack::Handler::Msglite - serve a PSGI app behind the msglite HTTP proxy

=head1 SYNOPSIS

    msglite server -http-address 127.0.0.1:8080 &
    plackup -s Msglite --connect unix:/tmp/msglite.socket app.psgi
    plackup -s Msglite --connect tcp:127.0.0.1:9813 --workers 4 -E deployment app.psgi

=head1 DESCRIPTION

A msglite client that readies on the proxy's request address, turns each
request envelope into a PSGI environment (F<docs/http-mapping.md>), calls the
app and sends the response back as messages: the head, the body pieces (each
piece of a streaming response as soon as it is written) and the empty message
that ends it.

Without C<--workers> it is one process. With C<--workers N> a master keeps N
worker processes, each with its own connection; the daemon hands each request
to the worker that readied first.

Signals: TERM and INT finish the requests in hand and stop; requests not yet
taken stay queued in the daemon for whoever readies next. HUP does the same and
then re-executes the original command line, so the app and every module are
loaded afresh (with workers, the new ones start while the old ones finish).

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
    return bless {
        connect      => $args{connect} || '/tmp/msglite.socket',
        address      => $address,
        workers      => 0 + $workers,
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
sub _worker {
    my ($self, $app, $master_pid) = @_;
    $self->{master_pid} = $master_pid;
    $self->{stopping}   = 0;
    local $SIG{TERM} = local $SIG{INT} = sub { $self->{stopping} = 1 };
    # A pool worker stops on HUP too (its master re-executes); alone, run() set HUP to reload.
    local $SIG{HUP} = $master_pid ? sub { $self->{stopping} = 1 } : $SIG{HUP};
    while (!$self->{stopping}) {
        my $conn = $self->_connect or last;
        my $ok = eval { $self->_serve($conn, $app); 1 };
        my $err = $@;
        $conn->quit;
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

# The request loop. The reply to one request, the poll that drains its unread body and the
# ready for the next request leave in one write; their answers come back in that order.
sub _serve {
    my ($self, $conn, $app) = @_;
    my @drain;    # body addresses whose (empty) body message nobody has read yet
    while (1) {
        $conn->cork;
        $conn->send_ready(0, $_) for @drain;
        if ($self->{stopping}) {
            $conn->read_reply for @drain;
            return;
        }
        $conn->send_ready(READY_SECONDS, $self->{address});
        $conn->uncork;
        $conn->read_reply for splice @drain;
        my $msg = eval { $conn->read_reply(sub { $self->{stopping} }) };
        if (ref $@ eq 'Msglite::Interrupted') {
            $self->_leave($conn, $app);
            return;
        }
        die $@ if $@;
        if (!$msg) {    # the ready timed out: an idle moment to notice an orphaned worker
            $self->{stopping} = 1 if $self->{master_pid} && getppid() != $self->{master_pid};
            next;
        }
        push @drain, $self->_request($conn, $app, $msg);
    }
}

# Stopping while a ready waits: closing our sending side makes the daemon withdraw it, and an
# envelope it had already sent still arrives, so it is served (on a fresh connection, ours
# can no longer send) rather than lost.
sub _leave {
    my ($self, $conn, $app) = @_;
    $conn->shutdown_write;
    my $msg = eval { $conn->read_reply };
    return unless $msg;
    local $self->{stopping} = 0;
    my $other = $self->_connect or return;
    my @drain = $self->_request($other, $app, $msg);
    $other->ready(0, $_) for @drain;
    $other->quit;
}

# Serves one request. Returns the body address to drain, if the body was not read.
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
    my @drain = _input($conn, $e, $env);
    $env->{'psgix.cleanup'} = 1;
    $env->{'psgix.cleanup.handlers'} = [];
    if (!eval { _call($app, $env, $reply); 1 }) {
        my $err = $@;
        die $err unless $conn->connected;    # our own connection broke: reconnect
        warn "msglite: $env->{REQUEST_METHOD} $env->{REQUEST_URI}: $err";
        $reply->head_sent ? $reply->end : _fail($reply);
    }
    if (@{ $env->{'psgix.cleanup.handlers'} }) {
        $conn->uncork;    # the client has its answer before the cleanup runs
        $_->($env) for @{ $env->{'psgix.cleanup.handlers'} };
    }
    $self->{stopping} = 1 if $env->{'psgix.harakiri.commit'} && $self->{workers};
    return @drain;
}

# Reads the body when there is one. A proxy that sends bodyLength says so exactly, and drops
# an empty body message by itself. From an older proxy, a request that announced no body has
# an empty body message, drained by a poll that rides along with the reply (saving a round trip).
sub _input {
    my ($conn, $e, $env) = @_;
    my $body = '';
    my @drain;
    my $has_body = defined $e->{bodyLength} ? $e->{bodyLength} > 0 : Msglite::PSGI::Env::has_body($e);
    if ($has_body) {
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
        @drain = ($e->{bodyAddr});
    }
    open my $input, '<', \$body or die "msglite: in-memory input: $!";
    $env->{'psgi.input'} = $input;
    return @drain;
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
