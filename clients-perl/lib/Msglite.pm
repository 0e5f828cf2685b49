package Msglite;

use strict;
use warnings;

use Errno qw(EINTR EAGAIN EWOULDBLOCK);
use IO::Socket::INET ();
use IO::Socket::UNIX ();
use Socket qw(SOCK_STREAM IPPROTO_TCP TCP_NODELAY MSG_NOSIGNAL MSG_DONTWAIT SHUT_WR);
use Msglite::Message;

our $VERSION = '0.02';

# Reads ask for at least this much, so a stream of small messages costs one syscall per batch.
use constant READ_CHUNK => 65536;
# The daemon's numbers are non-negative decimal integers that fit in 31 bits (docs/protocol.md).
use constant MAX_NUMBER => 2**31 - 1;

=head1 NAME

Msglite - client for the msglite messaging daemon

=head1 SYNOPSIS

    use Msglite;

    my $msglite = Msglite->at_unix_socket('/tmp/msglite.socket');
    $msglite->send("Hello!", 5, "myOwnAddress");
    my $msg = $msglite->ready(5, "myOwnAddress");    # undef on timeout
    print $msg->body, "\n";

    my $answer = $msglite->query("question", 5, "someService");
    $msglite->quit;

=head1 DESCRIPTION

A drop-in for the original Perl client's API, speaking the text protocol of
F<docs/protocol.md>. Bodies are bytes and go out byte for byte: a string with
characters above 0xFF is refused (encode it first) instead of being silently
UTF-8 encoded. An C<- error> answer from the daemon becomes a C<die> with the
daemon's text, prefixed C<msglite: >; the daemon closes the connection after
it, so the object is unusable afterwards.

=head1 CONSTRUCTORS

=over

=item at_unix_socket

    my $msglite = Msglite->at_unix_socket('/tmp/msglite.socket');

Connects to the daemon's Unix socket; dies when it cannot.

=cut

sub at_unix_socket {
    my ($class, $path) = @_;
    my $sock = IO::Socket::UNIX->new(Peer => $path, Type => SOCK_STREAM)
        or die "msglite: cannot connect to unix socket $path: $!\n";
    return $class->_wrap($sock, "unix:$path");
}

=item at_tcp_socket

    my $msglite = Msglite->at_tcp_socket('127.0.0.1:9813');

Connects to the daemon over TCP; dies when it cannot.

=cut

sub at_tcp_socket {
    my ($class, $addr) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => $addr, Proto => 'tcp')
        or die "msglite: cannot connect to tcp $addr: $@\n";
    # Commands are written whole; Nagle would only delay a reply behind an unacknowledged one.
    setsockopt($sock, IPPROTO_TCP, TCP_NODELAY, 1);
    return $class->_wrap($sock, "tcp:$addr");
}

=item connect

    my $msglite = Msglite->connect('unix:/tmp/msglite.socket');
    my $msglite = Msglite->connect('tcp:127.0.0.1:9813');

Connects to an address written as C<unix:PATH>, C<tcp:HOST:PORT>, a bare path
(anything containing C</>) or a bare C<HOST:PORT>.

=cut

sub connect {
    my ($class, $spec) = @_;
    die "msglite: no address to connect to\n" unless defined $spec && length $spec;
    return $class->at_unix_socket($1) if $spec =~ m{\Aunix:(.+)\z}s;
    return $class->at_tcp_socket($1)  if $spec =~ m{\Atcp:(.+)\z}s;
    return $class->at_unix_socket($spec) if $spec =~ m{/};
    return $class->at_tcp_socket($spec)  if $spec =~ m{:\d+\z};
    die "msglite: cannot tell whether '$spec' is a socket path or HOST:PORT;"
      . " write unix:PATH or tcp:HOST:PORT\n";
}

sub _wrap {
    my ($class, $sock, $name) = @_;
    binmode $sock;
    return bless { sock => $sock, name => $name, rbuf => '', wbuf => '', corked => 0 }, $class;
}

=back

=head1 METHODS

=over

=item send

    $msglite->send(BODY, TIMEOUT, TO_ADDR [, REPLY_ADDR]);
    $msglite->send($message);    # a Msglite::Message

Sends a message; the daemon does not answer a send. Returns true. Dies on a bad
argument (a timeout that is not a whole number of seconds, an address that is
empty or contains whitespace, a body with characters above 0xFF).

=cut

sub send {
    my $self = shift;
    my ($body, $timeout, $to, $reply);
    if (ref $_[0]) {
        my $msg = $_[0];
        ($body, $timeout, $to, $reply) = ($msg->body, $msg->timeout, $msg->to_addr, $msg->reply_addr);
    } else {
        die "msglite: send takes BODY, TIMEOUT, TO_ADDR [, REPLY_ADDR] or a message object\n"
            if @_ < 3 || @_ > 4;
        ($body, $timeout, $to, $reply) = @_;
    }
    my @head = ('>', undef, _number($timeout, 'timeout'), _address($to));
    push @head, _address($reply) if defined $reply && length $reply;
    $self->_put_with_body(\@head, $body);
    return 1;
}

=item send_many

    $msglite->send_many(TIMEOUT, TO_ADDR, BODY1, BODY2, ...);

Sends each body as a message to TO_ADDR, all in one write (the HTTP handler's
reply head, body and end). Returns true.

=cut

sub send_many {
    my ($self, $timeout, $to, @bodies) = @_;
    my $tail = ' ' . _number($timeout, 'timeout') . ' ' . _address($to) . "\r\n";
    my $out = '';
    for my $body (@bodies) {
        $body = _bytes($body);
        $out .= length $body ? '> ' . length($body) . $tail . $body . "\r\n" : "> 0$tail";
    }
    $self->_put($out);
    return 1;
}

=item ready

    my $msg = $msglite->ready(TIMEOUT, ADDR1 [, ADDR2 ...]);

Waits up to TIMEOUT seconds for a message on any of the addresses (checked in
the order given) and returns it as a L<Msglite::Message>, or undef on timeout.

=cut

sub ready {
    my $self = shift;
    $self->send_ready(@_);
    return $self->read_reply;
}

=item query

    my $reply = $msglite->query(BODY, TIMEOUT, TO_ADDR);

Sends BODY to TO_ADDR with a fresh reply address made by the daemon and waits
up to TIMEOUT seconds for the answer: a L<Msglite::Message>, or undef on timeout.

=cut

sub query {
    my ($self, $body, $timeout, $to) = @_;
    $self->_put_with_body(['?', undef, _number($timeout, 'timeout'), _address($to)], $body);
    return $self->read_reply;
}

=item quit

    $msglite->quit;

Sends whatever is still corked, tells the daemon goodbye and closes the
connection. Safe to call twice.

=cut

sub quit {
    my ($self) = @_;
    return unless $self->{sock};
    $self->{wbuf} .= ".\r\n";
    eval { $self->_flush };    # best effort: the socket may already be dead
    my $sock = delete $self->{sock} or return;
    close $sock;
    return;
}

=back

=head2 Pipelining

The daemon answers commands in order, so several can be written before any
answer is read. These are what L<Plack::Handler::Msglite> uses to answer a
request and ask for the next one in a single write.

=over

=item send_ready

    $msglite->send_ready(TIMEOUT, ADDR1 [, ADDR2 ...]);

Writes a ready command without waiting for its answer; read it with
L</read_reply>.

=cut

sub send_ready {
    my ($self, $timeout, @addrs) = @_;
    die "msglite: ready needs at least one address\n" unless @addrs;
    $self->_put(join(' ', '<', _number($timeout, 'timeout'), map { _address($_) } @addrs) . "\r\n");
    return;
}

=item read_reply

    my $msg = $msglite->read_reply;

Reads the next answer: a L<Msglite::Message>, or undef for a timeout. Writes
whatever is corked first. Dies with the daemon's text on C<- error>, and when
the daemon closes the connection.

    my $msg = eval { $msglite->read_reply(sub { $stop_requested }) };

With a callback: when a signal interrupts the wait before the answer's first line
is complete and the callback returns true, dies with a C<Msglite::Interrupted> object.
Nothing has been consumed then; a later C<read_reply> still gets the answer.

=cut

sub read_reply {
    my ($self, $interrupted) = @_;
    $self->_flush if length $self->{wbuf};    # an answer can only come to a command that went out
    my $line = $self->_line($interrupted);
    return undef if $line =~ /\A\*\s*\z/;
    if ($line =~ /\A-\s*(.*?)\s*\z/s) {
        $self->_dead;
        die "msglite: $1\n";
    }
    my ($sigil, $length, $timeout, $to, $reply, $extra) = split ' ', $line;
    unless (defined $sigil && $sigil eq '>' && defined $to && !defined $extra
            && $length =~ /\A\d+\z/ && $timeout =~ /\A\d+\z/) {
        $self->_dead;
        die "msglite: unexpected line from the daemon: $line\n";
    }
    my $body = '';
    if ($length > 0) {
        # Not interruptible: the line is consumed, so giving up here would lose the message.
        $self->_fill($length + 2);
        $body = substr($self->{rbuf}, 0, $length + 2, '');
        die "msglite: body from the daemon is not followed by \\r\\n\n" unless substr($body, -2, 2, '') eq "\r\n";
    }
    return Msglite::Message->new(body => $body, timeout => 0 + $timeout, to_addr => $to, reply_addr => $reply);
}

=item cork

=item uncork

    $msglite->cork;
    $msglite->send(...); $msglite->send_ready(...);
    $msglite->uncork;    # one write for all of them

While corked, commands collect in memory; C<uncork> writes them at once.

=cut

sub cork { $_[0]{corked} = 1; return }

sub uncork {
    my ($self) = @_;
    $self->{corked} = 0;
    $self->_flush;
    return;
}

=item flush

    $msglite->flush;

Writes whatever is corked now and stays corked: for a caller that keeps a
connection corked and sends at the moments it chooses.

=cut

sub flush {
    my ($self) = @_;
    $self->_flush if length $self->{wbuf};
    return;
}

=item reply_buffered

    my $msg = $msglite->reply_buffered ? $msglite->read_reply : undef;

True when the next answer has arrived whole, so L</read_reply> returns it
without waiting. With several readies outstanding, one read often brings
several answers; this tells a caller whether it is about to block.

=cut

sub reply_buffered {
    my ($self) = @_;
    my $end = index($self->{rbuf}, "\n");
    return 0 if $end < 0;
    # A message line is followed by its body and \r\n; any other answer is the line alone.
    return 1 unless $self->{rbuf} =~ /\A>[ \t]+(\d+)/ && $1 > 0;
    return length($self->{rbuf}) >= $end + 1 + $1 + 2 ? 1 : 0;
}

=item shutdown_write

    $msglite->shutdown_write;

Closes the sending side. The daemon takes that as the client going away and
withdraws its pending ready, so a process that wants to stop can do this and
then read until L</read_reply> dies: any message already on its way arrives
and none is lost in between.

=cut

sub shutdown_write {
    my ($self) = @_;
    $self->_flush;
    shutdown($self->_sock, SHUT_WR);
    return;
}

=item connected

True until the connection is closed: by L</quit>, by an C<- error> from the
daemon, or by a failed read or write.

=cut

sub connected { $_[0]{sock} ? 1 : 0 }

=item name

The address this client connected to, as C<unix:PATH> or C<tcp:HOST:PORT>.

=cut

sub name { $_[0]{name} }

=back

=cut

# -- checks ------------------------------------------------------------------------------

sub _number {
    my ($value, $what) = @_;
    die "msglite: invalid $what " . (defined $value ? "'$value'" : 'undef') . " (want whole seconds)\n"
        unless defined $value && $value =~ /\A\d+\z/ && $value <= MAX_NUMBER;
    return 0 + $value;
}

sub _address {
    my ($addr) = @_;
    die "msglite: invalid address " . (defined $addr ? "'$addr'" : 'undef') . " (want a token without whitespace)\n"
        unless defined $addr && $addr =~ /\A[^\s]+\z/;
    return $addr;
}

# A body must be bytes. Downgrading a copy turns a UTF-8-flagged string of Latin-1 characters
# back into its bytes and refuses wide characters, which would otherwise be written as UTF-8
# while the length counted characters, and the daemon would read a corrupt stream.
sub _bytes {
    my ($body) = @_;
    die "msglite: body is undefined\n" unless defined $body;
    return $body unless utf8::is_utf8($body);
    my $copy = $body;
    utf8::downgrade($copy, 1)
        or die "msglite: body has characters above 0xFF; encode it to bytes first (Encode::encode_utf8)\n";
    return $copy;
}

# -- i/o ---------------------------------------------------------------------------------

sub _put_with_body {
    my ($self, $head, $body) = @_;
    $body = _bytes($body);
    $head->[1] = length $body;
    my $out = join(' ', @$head) . "\r\n";
    $out .= $body . "\r\n" if length $body;
    $self->_put($out);
}

sub _put {
    my ($self, $bytes) = @_;
    $self->{wbuf} .= $bytes;
    $self->_flush unless $self->{corked};
}

sub _sock { $_[0]{sock} or die "msglite: connection to $_[0]{name} is closed\n" }

sub _flush {
    my ($self) = @_;
    my $sock = $self->_sock;
    while (length $self->{wbuf}) {
        # send() with MSG_NOSIGNAL: a dead daemon must become a die, not a SIGPIPE that kills us.
        my $n = CORE::send($sock, $self->{wbuf}, MSG_NOSIGNAL);
        if (!defined $n) {
            next if $! == EINTR;
            my $why = "$!";
            $self->_pending_error;
            $self->_dead;
            die "msglite: write to $self->{name} failed: $why\n";
        }
        substr($self->{wbuf}, 0, $n, '');
    }
}

# After a failed write, the daemon's reason (queue full, body too large, ...) is usually already
# in our receive buffer: report that rather than "Broken pipe".
sub _pending_error {
    my ($self) = @_;
    my $buf = $self->{rbuf};
    my $more;
    while (defined recv($self->{sock}, $more, READ_CHUNK, MSG_DONTWAIT) && length $more) { $buf .= $more }
    if ($buf =~ /^-\s*([^\r\n]*)/m) {
        $self->_dead;
        die "msglite: $1\n";
    }
}

sub _line {
    my ($self, $interrupted) = @_;
    my $end;
    until (($end = index($self->{rbuf}, "\n")) >= 0) {
        $self->_fill(length($self->{rbuf}) + 1, $interrupted);
    }
    my $line = substr($self->{rbuf}, 0, $end + 1, '');
    $line =~ s/\r?\n\z//;
    return $line;
}

# Reads until the buffer holds $want bytes. $interrupted, if given, is asked after a signal
# interrupted the read; when it says yes we stop waiting (Plack::Handler::Msglite's stop).
sub _fill {
    my ($self, $want, $interrupted) = @_;
    my $sock = $self->_sock;
    while (length($self->{rbuf}) < $want) {
        my $need = $want - length $self->{rbuf};
        my $n = sysread($sock, $self->{rbuf}, $need > READ_CHUNK ? $need : READ_CHUNK, length $self->{rbuf});
        if (!defined $n) {
            if ($! == EINTR || $! == EAGAIN || $! == EWOULDBLOCK) {
                die Msglite::Interrupted->new if $interrupted && $interrupted->();
                next;
            }
            my $why = "$!";
            $self->_dead;
            die "msglite: read from $self->{name} failed: $why\n";
        }
        if ($n == 0) {
            $self->_dead;
            die "msglite: connection closed by the daemon ($self->{name})\n";
        }
    }
}

sub _dead {
    my ($self) = @_;
    my $sock = delete $self->{sock};
    close $sock if $sock;
}

# No DESTROY that says goodbye: a forked child dropping its copy must not close the parent's
# connection. The socket's own destructor just closes this process's descriptor.

# Thrown by read_reply when the caller's interrupt check said to stop waiting.
package Msglite::Interrupted;
sub new { bless {}, shift }

1;

=head1 SEE ALSO

F<docs/protocol.md> (the protocol, every error text), L<Plack::Handler::Msglite>.

=cut
