use strict;
use warnings;

# The pure parts of the handler, without a daemon: envelope -> PSGI env, and PSGI response ->
# messages (with a fake connection that records what would be sent).

use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Msglite::PSGI::Env;
use Msglite::PSGI::Reply;

my $json = Msglite::PSGI::Env::json();

# The example of docs/http-mapping.md, plus a Latin-1 byte in a header.
my $envelope = $json->encode({
    method => 'POST', url => '/search%20it/caf%C3%A9?q=msglite&page=2', protocol => 'HTTP/1.1',
    headers => { Host => 'example.com', 'Content-Type' => 'application/x-www-form-urlencoded',
                 Cookie => 'a=1,b=2', 'Content-Length' => '7' },
    bodyAddr => '6b047832.3', requestId => '6b047832.2',
    path => '/search%20it/caf%C3%A9', query => 'q=msglite&page=2',
    remoteAddr => '127.0.0.1', remotePort => 37034, serverName => 'example.com', serverPort => 8080,
    scheme => 'http',
    headerList => [['Host', 'example.com'], ['content-type', 'application/x-www-form-urlencoded'],
                   ['Cookie', 'a=1'], ['Cookie', 'b=2'], ['Content-Length', '7'], ['X-Name', "Jos\x{e9}"]],
});

subtest 'the full envelope' => sub {
    my $e = Msglite::PSGI::Env::decode_envelope($envelope);
    ok(Msglite::PSGI::Env::has_body($e), 'Content-Length 7 announces a body');
    my $env = Msglite::PSGI::Env::build($e, { multiprocess => 1, harakiri => 1 });
    my %want = (
        REQUEST_METHOD => 'POST', SCRIPT_NAME => '', PATH_INFO => "/search it/caf\xc3\xa9",
        REQUEST_URI => '/search%20it/caf%C3%A9?q=msglite&page=2', QUERY_STRING => 'q=msglite&page=2',
        SERVER_PROTOCOL => 'HTTP/1.1', SERVER_NAME => 'example.com', SERVER_PORT => 8080,
        REMOTE_ADDR => '127.0.0.1', REMOTE_PORT => 37034, HTTP_HOST => 'example.com',
        CONTENT_TYPE => 'application/x-www-form-urlencoded', CONTENT_LENGTH => '7',
        HTTP_COOKIE => 'a=1, b=2', HTTP_X_NAME => "Jos\xe9", 'psgi.url_scheme' => 'http',
        'msglite.request_id' => '6b047832.2',
    );
    is($env->{$_}, $want{$_}, $_) for sort keys %want;
    ok(!utf8::is_utf8($env->{$_}), "$_ is bytes") for qw(PATH_INFO HTTP_X_NAME);
    ok(!exists $env->{"HTTP_$_"}, "no HTTP_$_") for qw(CONTENT_TYPE CONTENT_LENGTH);
    is_deeply($env->{'psgi.version'}, [1, 1], 'psgi.version');
    ok($env->{'psgi.multiprocess'} && $env->{'psgix.harakiri'}, 'pool flags');
    ok($env->{'psgi.streaming'} && !$env->{'psgi.nonblocking'} && !$env->{'psgi.multithread'}
       && !$env->{'psgi.run_once'}, 'streaming, blocking, no threads, not run once');
    is($env->{'psgi.errors'}, *STDERR, 'psgi.errors is STDERR');
};

subtest "the original proxy's five fields" => sub {
    my $e = Msglite::PSGI::Env::decode_envelope($json->encode({
        method => 'GET', url => 'http://example.org:81/a%2Fb?x=1', protocol => 'HTTP/1.0',
        headers => { Host => 'example.org:81', 'User-Agent' => 'old' }, bodyAddr => 'b' }));
    ok(!Msglite::PSGI::Env::has_body($e), 'no body announced');
    my $env = Msglite::PSGI::Env::build($e, {});
    is($env->{PATH_INFO}, '/a/b', 'absolute-form target cut to its path, unescaped');
    is($env->{QUERY_STRING}, 'x=1', 'query from url');
    is("$env->{SERVER_NAME}:$env->{SERVER_PORT}", 'example.org:81', 'server from Host');
    is($env->{HTTP_USER_AGENT}, 'old', 'headers object used');
    ok(!exists $env->{REMOTE_ADDR}, 'no REMOTE_ADDR when unknown');
    ok(!$env->{'psgi.multiprocess'}, 'single process');
};

subtest 'bad envelopes' => sub {
    for (['not json', qr/not JSON/], ['[1,2]', qr/not JSON/], ['{"method":"GET","url":"/"}', qr/no 'bodyAddr'/]) {
        eval { Msglite::PSGI::Env::decode_envelope($_->[0]) };
        like($@, $_->[1], "'$_->[0]'");
    }
};

# Records sends instead of writing them: [body, to, corked when sent, flushed yet].
package FakeConn {
    sub new { bless { sent => [], corked => 0 }, shift }
    sub send { my ($s, $b, $t, $to) = @_; push @{ $s->{sent} }, [$b, $to, $s->{corked}, !$s->{corked}]; 1 }
    sub send_many { my ($s, $t, $to, @b) = @_; $s->send($_, $t, $to) for @b; 1 }
    sub cork { $_[0]{corked} = 1 }
    sub flush { $_->[3] = 1 for @{ $_[0]{sent} } }
}

sub replay {
    my ($res, $method, $corked) = @_;
    my $conn = FakeConn->new;
    $conn->{corked} = $corked;
    my $reply = Msglite::PSGI::Reply->new($conn, 'R', $method);
    my $writer = eval { $reply->respond($res) };
    return ($conn->{sent}, $@, $writer);
}

subtest 'array bodies: checked first, joined, Content-Length added, one corked write' => sub {
    my ($sent) = replay([200, ['Content-Type' => 'text/plain', 'Set-Cookie' => 'a=1', 'Set-Cookie' => "b=\xe9"],
                         ['Hello, ', '', undef, 'World']]);
    is(scalar @$sent, 3, 'head, one piece, end');
    is_deeply($json->decode($sent->[0][0]),
              ['200', ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', "b=\x{e9}", 'Content-Length', 12]],
              'head: status string, flat headers in order, a Latin-1 byte as \u00e9');
    unlike($sent->[0][0], qr/[^\x00-\x7f]/, 'the head is ASCII');
    is($sent->[1][0], 'Hello, World', 'body joined');
    is($sent->[2][0], '', 'ends with an empty message');
    ok(!grep({ !$_->[2] } @$sent), 'all corked: they leave together');
    is($_->[1], 'R', 'sent to the reply address') for @$sent;
    my ($head) = replay([304, [], []]);
    is_deeply($json->decode($head->[0][0]), ['304', []], 'no Content-Length on 304');
    ($head) = replay([200, ['Content-Length' => 3], ['abc']], 'HEAD');
    is_deeply($json->decode($head->[0][0]), ['200', ['Content-Length', 3]], "the app's own length is kept");
};

subtest 'big bodies are cut into 1 MiB pieces' => sub {
    my $mib = 1 << 20;
    my ($sent) = replay([200, [], ['x' x ($mib + 10), 'y' x ($mib * 2)]]);
    is_deeply([map { length $_->[0] } @$sent[1 .. $#$sent]], [$mib, $mib, $mib, 10, 0], 'array: joined, then cut');
    my (undef, undef, $writer) = replay([200, []]);
    my ($w_sent) = ($writer->{reply}{conn}{sent});
    $writer->write('z' x ($mib * 2 + 1));
    is_deeply([map { length $_->[0] } @$w_sent[1 .. $#$w_sent]], [$mib, $mib, 1], 'one big write: three pieces');
};

subtest 'malformed responses die before anything is sent' => sub {
    for ([[200, []], undef], [['20', [], []], qr/invalid status '20'/], [[200, ['X'], []], qr/pairs/],
         [[200, ['Bad Name' => 1], []], qr/invalid header name/], [[200, ['X' => "a\r\nb"], []], qr/invalid value/],
         [[200, ['X' => "\x{263a}"], []], qr/invalid value/], [[200, [], ["\x{263a}"]], qr/above 0xFF/],
         [[200, [], 'string'], qr/body must be/], ['nope', qr/array reference of 2 or 3/]) {
        my ($res, $re) = @$_;
        next unless $re;
        my ($sent, $err) = replay($res);
        like($err, $re, "error: $re");
        is(scalar @$sent, 0, 'nothing sent');
    }
};

subtest 'filehandles, getline objects and the writer send piece by piece' => sub {
    open my $fh, '<', \"line1\nline2\n";
    my ($sent) = replay([200, [], $fh]);
    is_deeply([map { $_->[0] } @$sent[1 .. $#$sent]], ["line1\nline2\n", ''], 'in-memory filehandle');
    my @chunks = ('a', '', 'b');
    my $obj = bless { chunks => \@chunks }, 'Gen';
    sub Gen::getline { shift @{ $_[0]{chunks} } }
    sub Gen::close { $_[0]{closed} = 1 }
    ($sent) = replay([200, [], $obj]);
    is_deeply([map { $_->[0] } @$sent[1 .. $#$sent]], ['a', 'b', ''], 'getline object: each chunk, empty ones skipped');
    ok($obj->{closed}, 'close called');
    my ($w_sent, $err, $writer) = replay([200, ['Content-Type' => 'text/event-stream']]);
    is(scalar @$w_sent, 1, 'streaming: the head goes at once');
    $writer->write("data: 1\n\n");
    $writer->write('');
    is(scalar @$w_sent, 2, 'a write is a piece, an empty write is nothing');
    ok($w_sent->[0][3] && $w_sent->[1][3], 'the head and the piece were flushed at once');
    $writer->close;
    $writer->close;
    is(scalar @$w_sent, 3, 'close ends once');
    my ($c_sent, undef, $c_writer) = replay([200, []], 'GET', 1);
    $c_writer->write('x');
    $c_writer->close;
    ok($c_sent->[0][3] && $c_sent->[1][3], 'on a corked connection too, the head and each piece leave at once');
    ok(!$c_sent->[2][3], 'the end waits in the cork for the next write');
    eval { $writer->write('late') };
    like($@, qr/after the response ended/, 'writing after close dies');
};

done_testing;
