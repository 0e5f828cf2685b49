package Msglite::PSGI::Reply;

# One HTTP response on its way to the proxy's reply address: the head, the body pieces, the
# empty message that ends it (docs/http-mapping.md, "The reply"). It also is the PSGI
# $responder's target and the streaming writer's engine.

use strict;
use warnings;

use Plack::Util ();
use Scalar::Util ();
use Msglite::PSGI::Env ();

our $VERSION = '0.02';

# Reply messages go to an address the proxy is waiting on; the timeout only matters if it
# stopped waiting, and then it discards them anyway. 180 s is the proxy's reply timeout.
use constant PIECE_TIMEOUT => 180;
# Array bodies are joined into pieces of this size, and bigger writes are cut to it: few
# messages, and none near the daemon's body limit (-max-body-bytes, 16 MiB by default).
use constant PIECE_BYTES => 1 << 20;
# The reply address that turns a message to the reply address into an abort (docs/http-mapping.md).
use constant ABORT_MARK => 'msglite.abort';

my $JSON_HEAD = $Msglite::PSGI::Env::JSON_CLASS->new->ascii;    # \u escapes: header bytes survive as Latin-1

=head1 NAME

Msglite::PSGI::Reply - sends one PSGI response as msglite messages

=head1 METHODS

=over

=item new

    my $reply = Msglite::PSGI::Reply->new($msglite, $reply_addr, $request_method);

=cut

sub new {
    my ($class, $conn, $to, $method) = @_;
    return bless { conn => $conn, to => $to, method => $method || 'GET', head_sent => 0, ended => 0 }, $class;
}

=item head_sent

=item ended

True once the head, or the end of the response, has gone out.

=cut

sub head_sent { $_[0]{head_sent} }
sub ended     { $_[0]{ended} }

=item respond

    $reply->respond([$status, \@headers, $body]);   # returns nothing
    my $writer = $reply->respond([$status, \@headers]);

The PSGI response (or the argument of C<$responder>): sends the head and, for a
three-element response, the whole body and the end. With two elements, returns
the writer (see L</"THE WRITER">). Dies on a malformed response before anything
is sent, so the caller can still answer 500.

=cut

sub respond {
    my ($self, $res) = @_;
    die "response must be an array reference of 2 or 3 elements\n"
        unless ref $res eq 'ARRAY' && (@$res == 2 || @$res == 3);
    die "response was already started\n" if $self->{head_sent};
    if (@$res == 2) {
        $self->_send(_head($res->[0], $res->[1]));
        $self->{head_sent} = 1;
        return Msglite::PSGI::Writer->new($self);
    }
    my $body = $res->[2];
    if (ref $body eq 'ARRAY') {
        # Everything is at hand: check it all before the head goes, then head, pieces and end
        # leave in one write (the caller flushes).
        my @pieces = _join_pieces($body);
        my $head = _head($res->[0], $res->[1], $self->_length_to_add($res->[0], \@pieces));
        $self->{conn}->cork;
        $self->{conn}->send_many(PIECE_TIMEOUT, $self->{to}, $head, @pieces, '');
        $self->{head_sent} = $self->{ended} = 1;
        return;
    }
    die "response body must be an array reference, a filehandle or an object with getline and close\n"
        unless ref $body eq 'GLOB' || (Scalar::Util::blessed($body) && $body->can('getline'));
    $self->_send(_head($res->[0], $res->[1]));
    $self->{head_sent} = 1;
    # foreach reads real filehandles 64 KiB at a time; a getline object's chunks go one by one,
    # each as soon as it is produced, so a slow generator streams.
    Plack::Util::foreach($body, sub { $self->piece($_[0]) });
    $self->end;
    return;
}

=item piece

    $reply->piece($bytes);

Sends the next piece of the body now. Empty strings and undef are skipped: an
empty message would end the response.

=cut

sub piece {
    my ($self, $bytes) = @_;
    die "write after the response ended\n" if $self->{ended};
    return unless defined $bytes && length $bytes;
    $bytes = _body_bytes($bytes);
    $self->_send(substr $bytes, $_, PIECE_BYTES) for map { $_ * PIECE_BYTES } 0 .. (length($bytes) - 1) / PIECE_BYTES;
}

=item end

Sends the empty message that ends the response (once).

=cut

sub end {
    my ($self) = @_;
    return if $self->{ended};
    $self->{ended} = 1;
    $self->{conn}->send('', PIECE_TIMEOUT, $self->{to});
}

=item abort

    $reply->abort($reason);

Gives up on a response whose head is out, when producing its body failed: the
proxy closes the client's connection without ending the body, so the client
sees the response is incomplete rather than a shorter one that looks whole
(docs/http-mapping.md, "Aborting a response"). Does nothing once the response
has ended.

=cut

sub abort {
    my ($self, $reason) = @_;
    return if $self->{ended};
    $self->{ended} = 1;
    $self->{conn}->send(_body_bytes($reason), PIECE_TIMEOUT, $self->{to}, ABORT_MARK);
    $self->{conn}->flush;
}

# The head and each piece of a streamed body go out at once, even on a corked connection: the
# client is waiting for them. The end (like a whole array response) may wait in the cork for
# the caller's next write.
sub _send {
    my ($self, $bytes) = @_;
    $self->{conn}->send($bytes, PIECE_TIMEOUT, $self->{to});
    $self->{conn}->flush;
}

# An array body's length is known, so say it (unless the app did): the proxy then frames the
# response with Content-Length instead of chunks, and HTTP/1.0 clients can keep the connection.
sub _length_to_add {
    my ($self, $status, $pieces) = @_;
    return undef if $self->{method} eq 'HEAD' || !defined $status || $status =~ /\A(?:1..|204|304)\z/;
    my $length = 0;
    $length += length for @$pieces;
    return $length;
}

sub _head {
    my ($status, $headers, $length) = @_;
    die "invalid status '" . (defined $status ? $status : 'undef') . "'\n"
        unless defined $status && $status =~ /\A[1-9][0-9]{2}\z/;
    die "headers must be an array reference of name, value pairs\n"
        unless ref $headers eq 'ARRAY' && @$headers % 2 == 0;
    my @flat;
    for (my $i = 0; $i < @$headers; $i += 2) {
        my ($name, $value) = @$headers[$i, $i + 1];
        die "invalid header name '" . ($name // 'undef') . "'\n" unless defined $name && $name =~ /\A[!#\$%&'*+.^_`|~0-9A-Za-z-]+\z/;
        die "invalid value for header $name\n" unless defined $value && "$value" !~ /[\r\n\0]|[^\x00-\xff]/;
        push @flat, $name, "$value";
        undef $length if $name =~ /\A(?:content-length|transfer-encoding)\z/i;
    }
    push @flat, 'Content-Length', $length if defined $length;
    return $JSON_HEAD->encode(["$status", \@flat]);
}

sub _join_pieces {
    my ($body) = @_;
    my (@pieces, $buf);
    $buf = '';
    for my $chunk (@$body) {
        next unless defined $chunk;
        $buf .= _body_bytes($chunk);
        push @pieces, substr($buf, 0, PIECE_BYTES, '') while length $buf >= PIECE_BYTES;
    }
    push @pieces, $buf if length $buf;
    return @pieces;
}

sub _body_bytes {
    my ($s) = @_;
    return $s unless utf8::is_utf8($s);
    utf8::downgrade($s, 1) or die "response body has characters above 0xFF; encode it to bytes\n";
    return $s;
}

=back

=cut

package Msglite::PSGI::Writer;

=head1 THE WRITER

The object C<$responder> returns for a streaming response. C<write($bytes)>
sends a piece at once; C<close> ends the response. C<poll_cb($cb)> calls C<$cb>
with the writer until it is closed (this server is blocking, so there is
nothing else to wait for).

=cut

sub new { bless { reply => $_[1] }, $_[0] }

sub write {
    my ($self, $bytes) = @_;
    $self->{reply}->piece($bytes);
    return;
}

sub close {
    my ($self) = @_;
    $self->{reply}->end;
    return;
}

sub poll_cb {
    my ($self, $cb) = @_;
    $cb->($self) until $self->{reply}->ended;
    return;
}

1;
