use strict;
use warnings;

# The client against a real daemon: every command, over Unix and TCP, byte-exact bodies,
# timeouts, the daemon's errors and the client's own argument checks.

use FindBin;
use lib "$FindBin::Bin/lib", "$FindBin::Bin/../lib";
use Test::More;
use Encode qw(encode_utf8);
use POSIX ();
use Time::HiRes qw(time);
use MsgliteTest qw(start_daemon);
use Msglite;

my $d = start_daemon('-max-queue-messages', 4);

sub fresh { Msglite->at_unix_socket($d->unix) }
sub dies_like(&$$) {
    my ($code, $re, $name) = @_;
    my $ok = eval { $code->(); 1 };
    ok(!$ok, "$name dies") and like($@, $re, "$name: message");
}

subtest 'send and ready over the Unix socket' => sub {
    my $m = fresh();
    ok($m->send('hello', 5, 'perl.a'), 'send returns true');
    my $msg = $m->ready(1, 'perl.a');
    isa_ok($msg, 'Msglite::Message');
    is($msg->body, 'hello', 'body');
    is($msg->timeout, 5, 'timeout is the one it was sent with');
    is($msg->to_addr, 'perl.a', 'to_addr');
    is($msg->reply_addr, '', 'no reply address is the empty string');
    $m->quit;
};

subtest 'send and ready over TCP, and connect() spellings' => sub {
    my $m = Msglite->at_tcp_socket($d->tcp);
    $m->send('over tcp', 5, 'perl.tcp', 'perl.back');
    my $msg = $m->ready(1, 'perl.tcp');
    is($msg->body, 'over tcp', 'body');
    is($msg->reply_addr, 'perl.back', 'reply address kept');
    for my $spec ('unix:' . $d->unix, $d->unix, 'tcp:' . $d->tcp, $d->tcp) {
        my $c = Msglite->connect($spec);
        is($c->ready(0, 'perl.nothing'), undef, "connect('$spec') works");
        $c->quit;
    }
    dies_like { Msglite->connect('nonsense') } qr/unix:PATH or tcp:HOST:PORT/, 'an unclear address';
    dies_like { Msglite->at_unix_socket($d->dir . '/none.socket') } qr/cannot connect to unix socket/, 'a missing socket';
};

subtest 'a message object, FIFO order, several addresses' => sub {
    my $m = fresh();
    $m->send(Msglite::Message->new({ body => 'obj', timeout => 3, to_addr => 'perl.obj', reply_addr => 'r1' }));
    my $msg = $m->ready(1, 'perl.obj');
    is_deeply([$msg->body, $msg->timeout, $msg->reply_addr], ['obj', 3, 'r1'], 'message object sent whole');
    $m->send("queued$_", 5, 'perl.fifo') for 1 .. 3;
    is($m->ready(1, 'perl.fifo')->body, "queued$_", "queued $_ comes back in order") for 1 .. 3;
    $m->send('second', 5, 'perl.two');
    $m->send('first', 5, 'perl.one');
    is($m->ready(1, 'perl.two', 'perl.one')->body, 'second', 'addresses are checked in the order given');
    is($m->ready(1, 'perl.two', 'perl.one')->body, 'first', 'then the next address');
};

subtest 'timeouts' => sub {
    my $m = fresh();
    my $t0 = time;
    is($m->ready(0, 'perl.empty'), undef, 'ready 0 polls');
    cmp_ok(time - $t0, '<', 0.5, 'and answers at once');
    $t0 = time;
    is($m->ready(1, 'perl.empty'), undef, 'ready 1 times out');
    cmp_ok(time - $t0, '>=', 0.9, 'after about a second');
    is($m->query('anyone?', 1, 'perl.nobody'), undef, 'a query nobody answers times out');
    $m->send('gone', 0, 'perl.zero');
    is($m->ready(0, 'perl.zero'), undef, 'a timeout-0 message with nobody waiting is dropped');
};

subtest 'binary bodies are byte-exact' => sub {
    my $m = fresh();
    my %bodies = (
        'all 256 byte values' => join('', map { chr } 0 .. 255) x 3,
        'CR LF inside'        => "line\r\n> 5 1 fake\r\nhello\r\n",
        'empty'               => '',
        'one MiB'             => join('', map { chr(($_ * 7919) % 256) } 1 .. 1 << 20),
        'UTF-8 bytes'         => encode_utf8("caf\x{e9} \x{20ac}"),
    );
    for my $name (sort keys %bodies) {
        $m->send($bodies{$name}, 5, 'perl.bin');
        my $got = $m->ready(1, 'perl.bin')->body;
        ok($got eq $bodies{$name} && !utf8::is_utf8($got), "$name (" . length($bodies{$name}) . ' bytes)');
    }
    my $latin1 = "caf\x{e9}";
    utf8::upgrade($latin1);
    $m->send($latin1, 5, 'perl.bin');
    is($m->ready(1, 'perl.bin')->body, "caf\xe9", 'a UTF-8-flagged Latin-1 string goes out as its Latin-1 bytes, not encoded twice');
    dies_like { $m->send("\x{20ac}", 5, 'perl.bin') } qr/characters above 0xFF; encode/, 'a wide character';
    is($m->ready(0, 'perl.bin'), undef, 'nothing was sent for it');
};

subtest 'query, answered by another process' => sub {
    my $pid = fork // die;
    if (!$pid) {
        my $w = fresh();
        my $q = $w->ready(5, 'perl.service');
        $w->send("answer to " . $q->body, 5, $q->reply_addr) if $q;
        $w->quit;
        POSIX::_exit(0);
    }
    my $m = fresh();
    my $answer = $m->query("q\0\xff", 5, 'perl.service');
    is($answer && $answer->body, "answer to q\0\xff", 'query returns the reply');
    waitpid $pid, 0;
};

subtest 'pipelining: send_many, send_ready, read_reply, cork' => sub {
    my $m = fresh();
    $m->send_many(5, 'perl.many', 'one', '', "th\r\nree");
    is_deeply([map { $m->ready(1, 'perl.many')->body } 1 .. 3], ['one', '', "th\r\nree"], 'send_many: three messages in order');
    $m->cork;
    $m->send("p$_", 5, 'perl.pipe') for 1 .. 2;
    $m->send_ready(1, 'perl.pipe') for 1 .. 3;
    $m->uncork;
    is($m->read_reply->body, 'p1', 'first answer');
    is($m->read_reply->body, 'p2', 'second answer');
    is($m->read_reply, undef, 'third times out');
};

subtest 'flush and reply_buffered' => sub {
    my $m = fresh();
    my $other = fresh();
    $m->cork;
    $m->send_ready(5, 'perl.buffered') for 1 .. 2;
    $m->flush;
    ok(!$m->reply_buffered, 'nothing buffered before any answer came');
    $other->send_many(5, 'perl.buffered', 'one', 'two');
    is($m->read_reply->body, 'one', 'first answer');
    is($m->read_reply->body, 'two', 'second answer');
    ok(!$m->reply_buffered, 'nothing left');
    $m->send('still corked', 5, 'perl.buffered');
    is($other->ready(0, 'perl.buffered'), undef, 'a corked send waits');
    $m->flush;
    is($other->ready(5, 'perl.buffered')->body, 'still corked', 'flush writes it');
    $m->send('corked after flush', 5, 'perl.buffered');
    is($other->ready(0, 'perl.buffered'), undef, 'and the connection stays corked');
    $m->uncork;
    is($other->ready(5, 'perl.buffered')->body, 'corked after flush', 'until uncorked');
    # What reply_buffered makes of partial input (the read buffer set by hand).
    for (["> 5 1 a\r\nhel", 0, 'a body not yet whole'], ["> 5 1 a\r\nhello\r", 0, 'its \r\n not yet whole'],
         ["> 5 1 a\r\nhello\r\n", 1, 'a whole message'], ["> 0 1 a\r\n", 1, 'an empty message'],
         ["*\r\n", 1, 'a timeout'], ["- queue full\r\n", 1, 'an error'], ["> 5 1 a", 0, 'a line not yet whole']) {
        my ($rbuf, $whole, $what) = @$_;
        local $m->{rbuf} = $rbuf;
        is($m->reply_buffered, $whole, "reply_buffered: $what");
    }
};

subtest "the daemon's errors die with its text" => sub {
    my $m = fresh();
    dies_like { $m->ready(1, map { "a$_" } 1 .. 9) } qr/\Amsglite: too many addresses in ready \(limit 8\)$/, 'nine addresses';
    ok(!$m->connected, 'the connection is closed after an error');
    dies_like { $m->send('x', 1, 'perl.a') } qr/connection to unix:.* is closed/, 'using it afterwards';

    my $q = fresh();
    $q->send("m$_", 30, 'perl.full') for 1 .. 5;
    dies_like { $q->ready(0, 'perl.other') } qr/\Amsglite: queue full on perl\.full \(limit 4 messages\)$/, 'a full queue';
    my $drain = fresh();
    $drain->ready(0, 'perl.full') for 1 .. 4;
};

subtest "the client's own checks" => sub {
    my $m = fresh();
    dies_like { $m->send('x', -1, 'a') } qr/invalid timeout '-1'/, 'a negative timeout';
    dies_like { $m->send('x', 1.5, 'a') } qr/invalid timeout/, 'a fractional timeout';
    dies_like { $m->send('x', 2**31, 'a') } qr/invalid timeout/, 'a timeout past 31 bits';
    dies_like { $m->send('x', 1, 'two words') } qr/invalid address 'two words'/, 'an address with a space';
    dies_like { $m->send('x', 1, '') } qr/invalid address/, 'an empty address';
    dies_like { $m->send('x', 1) } qr/send takes BODY, TIMEOUT, TO_ADDR/, 'too few arguments';
    dies_like { $m->send(undef, 1, 'a') } qr/body is undefined/, 'an undefined body';
    dies_like { $m->ready(1) } qr/at least one address/, 'ready without an address';
    is($m->ready(0, 'perl.still'), undef, 'the connection is still good after the client refused');
};

subtest 'shutdown_write: a pending ready is withdrawn, a message already sent still arrives' => sub {
    my $sender = fresh();
    my $a = fresh();
    $a->send_ready(30, 'perl.leave');
    $sender->send('for a', 5, 'perl.leave');
    $sender->ready(0, 'perl.sync');    # a round trip: the daemon has routed 'for a' by now
    $a->shutdown_write;
    is($a->read_reply->body, 'for a', 'the message sent before the shutdown is read after it');
    my $b = fresh();
    $b->send_ready(30, 'perl.leave2');
    $b->shutdown_write;
    dies_like { $b->read_reply } qr/connection closed by the daemon/, 'with nothing on the way, the daemon closes';
    $sender->send('not lost', 5, 'perl.leave2');
    is($sender->ready(1, 'perl.leave2')->body, 'not lost', 'and a later message stays queued, not lost');
};

subtest 'quit, and a daemon that goes away' => sub {
    my $m = fresh();
    $m->quit;
    $m->quit;
    ok(!$m->connected, 'quit closes, twice is harmless');
    my $c = fresh();
    $c->cork;
    $c->send('corked', 30, 'perl.corked');
    $c->quit;
    my $got = fresh()->ready(5, 'perl.corked');
    is($got && $got->body, 'corked', 'quit sends what was still corked first');
    my $w = fresh();
    $w->send_ready(30, 'perl.forever');
    $d->stop;
    dies_like { $w->read_reply } qr/connection closed by the daemon/, 'the daemon stopping';
};

done_testing;
