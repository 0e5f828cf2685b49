use strict;
use warnings;

# A real framework app (Dancer2, t/apps/dancer.psgi) started by the real
# `plackup -s Msglite --workers 2`, behind the real proxy, asked by a real HTTP client.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Digest::MD5 qw(md5_hex);
use MsgliteTest qw(start_daemon start_plackup http wait_for);

my $d = start_daemon();
$ENV{MSGLITE_TEST_DIR} = $d->dir;
open my $tag, '>', $d->dir . '/tag' or die; print $tag "v1\n"; close $tag;
my $plackup = start_plackup($d, "$FindBin::Bin/apps/dancer.psgi", '--workers', 2, '-E', 'deployment');

sub get { my @r = http($d, 'GET', @_); return @r }

subtest 'routing' => sub {
    is(join(' ', (get('/'))[0, 1]), '200 home', '/');
    is(join(' ', (get('/hello/perl'))[0, 1]), '200 Hello, perl', 'a route parameter');
    is((get('/no/such/route'))[0], 404, 'an unknown route is 404');
};

subtest 'query string' => sub {
    is((get('/search?q=msg+lite&page=2&tag=a&tag=b%26c'))[1], 'page=2;q=msg lite;tag=a,b&c', 'decoded, repeats kept');
};

subtest 'form POST' => sub {
    my ($status, $body) = http($d, 'POST', '/form',
        headers => { 'Content-Type' => 'application/x-www-form-urlencoded' }, content => 'name=J%C3%B6rg+M&age=42');
    is("$status $body", "200 name=J\xc3\xb6rg M age=42", 'body parameters');
};

subtest 'two Set-Cookie headers' => sub {
    my (undef, undef, $h) = get('/cookies');
    my @cookies = ref $h->{'set-cookie'} ? @{ $h->{'set-cookie'} } : ($h->{'set-cookie'});
    is(scalar @cookies, 2, 'two headers');
    like($cookies[0], qr/\Afirst=one; /, 'first');
    like($cookies[1], qr/\Asecond=two; /, 'second');
};

subtest 'redirect' => sub {
    my ($status, undef, $h) = get('/go');
    is($status, 302, 'status 302');
    like($h->{location}, qr{/hello/redirected\z}, 'Location');
};

subtest 'a streamed response arrives piece by piece' => sub {
    my $got = '';
    my $flag = $d->dir . '/stream-flag';
    my ($status) = http($d, 'GET', '/stream', data_callback => sub {
        $got .= $_[0];
        if ($got =~ /first\n/ && !-e $flag) { open my $fh, '>', $flag or die; close $fh }
    });
    is($status, 200, 'status');
    is($got, "first\nsecond\n", 'the client had "first" before the app wrote "second"');
};

subtest 'a 1 MiB upload' => sub {
    my $file = join '', map { chr(($_ * 131 + 7) % 256) } 1 .. 1 << 20;
    my $boundary = 'msglite-boundary-7d3f';
    my $content = "--$boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
                . "Content-Type: application/octet-stream\r\n\r\n$file\r\n--$boundary--\r\n";
    my ($status, $body) = http($d, 'POST', '/upload', content => $content,
        headers => { 'Content-Type' => "multipart/form-data; boundary=$boundary" });
    is("$status $body", '200 data.bin 1048576 ' . md5_hex($file), 'name, size and MD5 as sent');
};

subtest 'an app that dies gives 500' => sub {
    is((get('/die'))[0], 500, 'status 500');
    is((get('/'))[0], 200, 'and the workers go on');
};

subtest 'psgix.harakiri: the worker exits after its response and is replaced' => sub {
    my ($status, $body) = get('/harakiri');
    my ($pid) = $body =~ /pid=(\d+)/;
    ok($pid, "answered by worker $pid");
    wait_for("worker $pid to exit", 10, sub { !kill 0, $pid });
    my %pids;
    for my $n (1 .. 20) { my ($s, $b) = get("/work/$n"); $pids{$1}++ if $b =~ /pid=(\d+)/ }
    ok(!$pids{$pid}, 'it serves no more');
    is(scalar keys %pids, 2, 'two workers again');
};

subtest 'both workers serve, and TERM stops the pool' => sub {
    my %pids;
    for my $n (1 .. 40) { my ($s, $b) = get("/work/$n"); $pids{$1}++ if $b =~ /pid=(\d+)/ }
    is(scalar keys %pids, 2, 'requests were spread over two worker processes');
    $plackup->signal('TERM');
    is($plackup->wait_exit(15), 0, 'plackup exits cleanly');
    ok(!kill(0, $_), "worker $_ is gone") for keys %pids;
};

done_testing;
