use strict;
use warnings;

# The handler serving an app wrapped in Plack::Middleware::Lint (which dies on any env or
# response that breaks the PSGI spec), through the real daemon and HTTP proxy: every kind of
# response body, request bodies, errors, and a graceful TERM with requests in flight and queued.

use FindBin;
use lib "$FindBin::Bin/lib", "$FindBin::Bin/../lib";
use Test::More;
use Digest::MD5 qw(md5_hex);
use JSON::PP;
use POSIX ();
use Plack::Middleware::Lint;
use Plack::Handler::Msglite;
use MsgliteTest qw(start_daemon http http_bg wait_for slurp);

my $d    = start_daemon();
my $flag = $d->dir . '/flag';
my $binary = join '', map { chr } 0 .. 255;

my %routes = (
    '/hello'  => sub { [200, ['Content-Type' => 'text/plain'], ['Hello, ', 'World!']] },
    '/env'    => sub {
        my $env = shift;
        my %out = map { $_ => "$env->{$_}" } grep { !ref $env->{$_} && defined $env->{$_} } keys %$env;
        $out{'psgi.version'} = join '.', @{ $env->{'psgi.version'} };
        [200, ['Content-Type' => 'application/json'], [JSON::PP->new->canonical->encode(\%out)]];
    },
    '/echo'   => sub {
        my $env = shift;
        my $n = $env->{'psgi.input'}->read(my $body, $env->{CONTENT_LENGTH} || 0);
        [200, ['Content-Type' => 'text/plain'], [join ' ', $n, $env->{CONTENT_LENGTH}, md5_hex($body)]];
    },
    '/binary' => sub { [200, ['Content-Type' => 'application/octet-stream'], [$binary]] },
    '/file'   => sub { open my $fh, '<', __FILE__ or die; [200, ['Content-Type' => 'text/plain'], $fh] },
    '/getline' => sub {
        my @parts = ('one ', 'two ', 'three');
        [200, ['Content-Type' => 'text/plain'],
         Plack::Util::inline_object(getline => sub { shift @parts }, close => sub { })];
    },
    '/delayed' => sub { sub { $_[0]->([201, ['Content-Type' => 'text/plain'], ['later']]) } },
    '/stream'  => sub {
        sub {
            my $writer = $_[0]->([200, ['Content-Type' => 'text/plain']]);
            $writer->write("first\n");
            # The test creates the flag only after it has read "first": proof it was sent alone.
            my $seen = eval { wait_for('the flag', 10, sub { -e $flag }) };
            $writer->write($seen ? "second\n" : "flag never came\n");
            $writer->close;
        };
    },
    '/cookies' => sub { [302, ['Location' => '/hello', 'Set-Cookie' => 'a=1; Path=/', 'Set-Cookie' => 'b=2'], ['moved']] },
    '/die'     => sub { die "boom on purpose\n" },
    '/dies-mid-stream' => sub {
        sub {
            my $writer = $_[0]->([200, ['Content-Type' => 'text/plain']]);
            $writer->write("first\n");
            die "boom after the head\n";
        };
    },
    '/slow'    => sub {
        open my $fh, '>', "$flag.slow" or die; close $fh;
        select undef, undef, undef, 0.2 until -e "$flag.go";
        [200, ['Content-Type' => 'text/plain'], ["slow done $$"]];
    },
);
my $app = Plack::Middleware::Lint->wrap(sub {
    my $env = shift;
    my $route = $routes{ $env->{PATH_INFO} } or return [404, ['Content-Type' => 'text/plain'], ['no route']];
    return $route->($env);
});

sub start_handler {
    my $pid = fork // die;
    if (!$pid) {
        open STDERR, '>>', $d->dir . '/handler.log';
        Plack::Handler::Msglite->new(connect => 'unix:' . $d->unix)->run($app);
        POSIX::_exit(0);
    }
    return $pid;
}
my $handler = start_handler();

subtest 'array body, and the PSGI env as the app saw it' => sub {
    my ($status, $body, $headers) = http($d, 'GET', '/hello');
    is($status, 200, 'status');
    is($body, 'Hello, World!', 'body');
    is($headers->{'content-length'}, 13, 'Content-Length computed for an array body');
    ($status, $body) = http($d, 'GET', '/env?x=1&y=%20', headers => { 'X-Multi' => ['a', 'b'] });
    my $env = decode_json($body);
    is($env->{$_->[0]}, $_->[1], "$_->[0]") for
        ['REQUEST_METHOD', 'GET'], ['PATH_INFO', '/env'], ['QUERY_STRING', 'x=1&y=%20'],
        ['REQUEST_URI', '/env?x=1&y=%20'], ['SCRIPT_NAME', ''], ['SERVER_PROTOCOL', 'HTTP/1.1'],
        ['SERVER_NAME', '127.0.0.1'], ['SERVER_PORT', $d->http_port], ['REMOTE_ADDR', '127.0.0.1'],
        ['HTTP_X_MULTI', 'a, b'], ['psgi.version', '1.1'], ['psgi.url_scheme', 'http'],
        ['psgi.streaming', 1], ['psgi.nonblocking', ''], ['psgi.multiprocess', ''];
    like($env->{REMOTE_PORT}, qr/\A\d+\z/, 'REMOTE_PORT');
    like($env->{'msglite.request_id'}, qr/\S/, 'request id');
    my ($hs, $hb) = http($d, 'HEAD', '/hello');
    is("$hs [" . ($hb // "") . "]", '200 []', 'HEAD: status, no body');
};

subtest 'request bodies reach psgi.input byte for byte' => sub {
    my $big = join '', map { chr(($_ * 31) % 256) } 1 .. 300_000;
    my ($status, $body) = http($d, 'POST', '/echo', content => $big, headers => { 'Content-Type' => 'application/octet-stream' });
    is($body, "300000 300000 " . md5_hex($big), 'Content-Length body');
    my @parts = ('chunk one;', "\0\xff", 'three');
    ($status, $body) = http($d, 'POST', '/echo', content => sub { shift @parts });
    is($body, "17 17 " . md5_hex("chunk one;\0\xffthree"), 'chunked body: de-chunked, CONTENT_LENGTH set');
    ($status, $body) = http($d, 'POST', '/echo', content => '');
    is($body, '0 0 ' . md5_hex(''), 'empty body');
};

subtest 'every kind of response body' => sub {
    is((http($d, 'GET', '/binary'))[1], $binary, 'all 256 byte values');
    is((http($d, 'GET', '/file'))[1], slurp(__FILE__), 'a real filehandle');
    is((http($d, 'GET', '/getline'))[1], 'one two three', 'an object with getline and close');
    my ($status, $body) = http($d, 'GET', '/delayed');
    is("$status $body", '201 later', 'a delayed response');
    my ($s, undef, $h) = http($d, 'GET', '/cookies');
    is($s, 302, 'redirect status');
    is($h->{location}, '/hello', 'Location');
    is_deeply($h->{'set-cookie'}, ['a=1; Path=/', 'b=2'], 'two Set-Cookie headers');
};

subtest 'a streaming response: each write is sent as it is written' => sub {
    my $got = '';
    my ($status) = http($d, 'GET', '/stream', data_callback => sub {
        $got .= $_[0];
        if ($got =~ /first\n/ && !-e $flag) { open my $fh, '>', $flag or die; close $fh }
    });
    is($status, 200, 'status');
    is($got, "first\nsecond\n", 'the second piece came after the client had the first');
    unlink $flag;
};

subtest 'an app that dies gives 500 and the handler goes on' => sub {
    my ($status, $body) = http($d, 'GET', '/die');
    is($status, 500, 'status 500');
    is($body, "Internal Server Error\n", 'plain body');
    like(slurp($d->dir . '/handler.log'), qr{GET /die: boom on purpose}, 'the error is logged');
    is((http($d, 'GET', '/hello'))[0], 200, 'next request fine');
};

subtest 'an app that dies after the head aborts the response' => sub {
    my $res = http($d, 'GET', '/dies-mid-stream');
    # HTTP::Tiny reports a chunked body cut off before its last chunk as its internal error 599
    is($res->{status}, 599, 'the client sees the response is incomplete');
    like($res->{content}, qr/Unexpected end of stream/, 'cut off before the last chunk');
    like(slurp($d->dir . '/handler.log'), qr{GET /dies-mid-stream: boom after the head}, 'the error is logged');
    is((http($d, 'GET', '/hello'))[0], 200, 'next request fine');
};

subtest 'TERM finishes the request in hand; requests not taken stay queued' => sub {
    my $slow = http_bg($d, 'GET', '/slow');
    wait_for('the slow request to start', 10, sub { -e "$flag.slow" });
    kill TERM => $handler;
    my $queued = http_bg($d, 'GET', '/hello');
    open my $fh, '>', "$flag.go" or die; close $fh;
    my ($status, $body) = $slow->result(10);
    is($status, 200, 'the request in flight completed');
    like($body, qr/\Aslow done $handler\z/, 'served by the stopping handler');
    wait_for('the handler to exit', 10, sub { waitpid($handler, POSIX::WNOHANG()) == $handler });
    is($? >> 8, 0, 'it exited cleanly');
    ok(!$queued->done, 'the queued request waits for a handler');
    $handler = start_handler();
    is(join(' ', $queued->result(10)), '200 Hello, World!', 'the next handler serves it');
};

kill TERM => $handler;
waitpid $handler, 0;
done_testing;
