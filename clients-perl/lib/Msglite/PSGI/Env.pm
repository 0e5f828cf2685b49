package Msglite::PSGI::Env;

# Turns the proxy's request envelope (docs/http-mapping.md) into a PSGI environment.
# Pure: no sockets, so t/02-env.t can pin every field without a daemon.

use strict;
use warnings;

our $VERSION = '0.02';

# Fastest JSON decoder Debian gives us, else the core one; all three take the same calls.
our $JSON_CLASS = eval { require Cpanel::JSON::XS; 'Cpanel::JSON::XS' }
               || eval { require JSON::XS; 'JSON::XS' }
               || do { require JSON::PP; 'JSON::PP' };
my $JSON = $JSON_CLASS->new->utf8;

=head1 NAME

Msglite::PSGI::Env - the msglite proxy's request envelope as a PSGI environment

=head1 FUNCTIONS

=over

=item json

The JSON object (Cpanel::JSON::XS, JSON::XS or JSON::PP, whichever is installed
first) the handler uses to read envelopes and write reply heads.

=cut

sub json { $JSON }

=item decode_envelope

    my $envelope = Msglite::PSGI::Env::decode_envelope($bytes);

Parses the envelope JSON; dies with a short reason when it is not an object with
a C<method>, a C<url> and a C<bodyAddr>.

=cut

sub decode_envelope {
    my ($bytes) = @_;
    my $e = eval { $JSON->decode($bytes) };
    die "request envelope is not JSON\n" unless ref $e eq 'HASH';
    for my $field (qw(method url bodyAddr)) {
        die "request envelope has no '$field'\n" unless defined $e->{$field} && !ref $e->{$field};
    }
    # The proxy reads HTTP as Latin-1, so each character it sends stands for one byte of the
    # request, and PSGI wants those bytes. Most envelopes are pure ASCII and need nothing.
    _to_bytes($e) if $bytes =~ /[\x80-\xff]/;
    return $e;
}

# (A character above 0xFF cannot come from the proxy; it is encoded as UTF-8 rather than die.)
sub _to_bytes {
    for (ref $_[0] eq 'HASH' ? values %{ $_[0] } : ref $_[0] eq 'ARRAY' ? @{ $_[0] } : ()) {
        if (ref) { _to_bytes($_) }
        elsif (defined && utf8::is_utf8($_)) { utf8::downgrade($_, 1) or utf8::encode($_) }
    }
}

=item has_body

    Msglite::PSGI::Env::has_body($envelope)

True when the request announced a body (a C<Content-Length> above 0, or a
C<Transfer-Encoding>). Without one the body message is known to be empty, so
the handler need not wait for it before calling the app.

=cut

sub has_body {
    my ($e) = @_;
    my $h = $e->{headers} || {};
    return 1 if defined $h->{'Transfer-Encoding'};
    return defined $h->{'Content-Length'} && $h->{'Content-Length'} =~ /[1-9]/;
}

=item build

    my $env = Msglite::PSGI::Env::build($envelope, \%server);

The PSGI environment of one request, without C<psgi.input> (the caller adds it
once it has the body). C<%server> holds C<multiprocess> and C<harakiri> (true in
a preforking pool).

=cut

sub build {
    my ($e, $server) = @_;
    my ($path, $query) = _target($e);
    my %env = (
        REQUEST_METHOD    => $e->{method},
        SCRIPT_NAME       => '',
        PATH_INFO         => _unescape($path),
        REQUEST_URI       => $e->{url},
        QUERY_STRING      => $query,
        SERVER_PROTOCOL   => $e->{protocol} || 'HTTP/1.0',
        'psgi.version'      => [1, 1],
        'psgi.url_scheme'   => ($e->{scheme} || 'http') eq 'https' ? 'https' : 'http',
        'psgi.errors'       => *STDERR,
        'psgi.multithread'  => !!0,
        'psgi.multiprocess' => !!$server->{multiprocess},
        'psgi.run_once'     => !!0,
        'psgi.nonblocking'  => !!0,
        'psgi.streaming'    => !!1,
        'psgix.input.buffered' => !!1,
        'psgix.harakiri'    => !!$server->{harakiri},
        'msglite.request_id' => $e->{requestId},
    );
    _headers(\%env, $e);
    _server(\%env, $e);
    if (defined $e->{remoteAddr} && length $e->{remoteAddr}) {
        $env{REMOTE_ADDR} = $e->{remoteAddr};
        $env{REMOTE_PORT} = 0 + $e->{remotePort} if $e->{remotePort};
    }
    return \%env;
}

# 'path' and 'query' are fields this proxy adds; the original proxy sent only 'url'.
# An absolute-form target (http://host/p) is cut down to its path, as a server must.
sub _target {
    my ($e) = @_;
    my ($path, $query) = defined $e->{path}
        ? ($e->{path}, defined $e->{query} ? $e->{query} : '')
        : split /\?/, $e->{url}, 2;
    $path = $1 eq '' ? '/' : $1 if $path =~ m{\A[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*(.*)\z}s;
    return ($path, defined $query ? $query : '');
}

# headerList keeps repeats and order; the original's 'headers' object is the fallback.
# Repeats are joined with ", " as RFC 9110 (and PSGI, by way of CGI) says.
sub _headers {
    my ($env, $e) = @_;
    my @pairs = ref $e->{headerList} eq 'ARRAY'
        ? map { @$_ } @{ $e->{headerList} }
        : %{ $e->{headers} || {} };
    while (my ($name, $value) = splice @pairs, 0, 2) {
        (my $key = uc $name) =~ tr/-/_/;
        $key = "HTTP_$key" unless $key eq 'CONTENT_TYPE' || $key eq 'CONTENT_LENGTH';
        $value = '' unless defined $value;
        $env->{$key} = exists $env->{$key} ? "$env->{$key}, $value" : $value;
    }
}

sub _server {
    my ($env, $e) = @_;
    my ($name, $port) = ($e->{serverName}, $e->{serverPort});
    if (!defined $name || $name eq '') {
        # The original proxy: take them from Host, as a CGI server would.
        ($name, $port) = ($env->{HTTP_HOST} || 'localhost') =~ /\A(\[[^\]]*\]|[^:]*)(?::(\d+))?\z/;
    }
    $env->{SERVER_NAME} = defined $name && length $name ? $name : 'localhost';
    $env->{SERVER_PORT} = $port || ($env->{'psgi.url_scheme'} eq 'https' ? 443 : 80);
}

sub _unescape {
    my ($s) = @_;
    $s =~ s/%([0-9A-Fa-f]{2})/chr hex $1/eg;
    return $s;
}

=back

=cut

1;
