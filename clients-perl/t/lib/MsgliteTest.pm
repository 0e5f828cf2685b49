package MsgliteTest;

# Test helpers: a real daemon (the project's jar) on a temp Unix socket and OS-chosen TCP
# ports, plackup runs, HTTP requests and bounded polling. Nothing here sleeps a fixed time
# to "let things settle": every wait polls for the condition, with a deadline.

use strict;
use warnings;

use Exporter 'import';
use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);
use HTTP::Tiny;
use POSIX ();
use Time::HiRes qw(time sleep);

our ($runs, $bg) = (0, 0);    # numbering for log and result files
our @EXPORT_OK = qw(repo_root start_daemon start_plackup http http_bg wait_for slurp);

# clients-perl/t/lib/MsgliteTest.pm -> the repository root, wherever it is checked out.
sub repo_root {
    my $here = File::Spec->rel2abs(__FILE__);
    return File::Spec->catdir(dirname($here), File::Spec->updir, File::Spec->updir, File::Spec->updir);
}

sub client_lib { File::Spec->catdir(repo_root(), 'clients-perl', 'lib') }

sub wait_for {
    my ($what, $seconds, $cond) = @_;
    my $deadline = time + $seconds;
    while (time < $deadline) {
        my $v = $cond->();
        return $v if $v;
        sleep 0.02;
    }
    die "timed out after ${seconds}s waiting for $what\n";
}

sub slurp {
    my ($path) = @_;
    open my $fh, '<', $path or return '';
    local $/;
    return scalar <$fh>;
}

# Starts the daemon; returns a MsgliteTest::Daemon with ->unix, ->tcp ('127.0.0.1:PORT'),
# ->http_port, ->metrics_port (when the flags turn metrics on) and ->dir (a temp dir that lives
# as long as the object).
sub start_daemon {
    my (@flags) = @_;
    my $metrics = grep { $_ eq '-metrics-address' } @flags;
    my $jar = File::Spec->catfile(repo_root(), 'server', 'target', 'msglite-server.jar');
    die "daemon jar $jar is missing: build it with mvn -DskipTests -pl server package\n" unless -f $jar;
    my $dir  = tempdir('msglite-perl-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $sock = "$dir/msglite.socket";
    my $log  = "$dir/daemon.log";
    my $pid  = _spawn($log, 'java', '-jar', $jar, '-network', 'tcp', '-address', '127.0.0.1:0',
                      '-listen', "unix:$sock", '-http-address', '127.0.0.1:0',
                      '-monitor-address', '', ($metrics ? () : ('-metrics-address', '')), @flags);
    my $d = bless { pid => $pid, owner => $$, dir => $dir, unix => $sock, log => $log }, 'MsgliteTest::Daemon';
    wait_for('the daemon to listen', 30, sub {
        my $text = slurp($log);
        die "daemon exited:\n$text" if waitpid($pid, POSIX::WNOHANG()) == $pid;
        my ($tcp)  = $text =~ /listening on (127\.0\.0\.1:\d+) \(tcp\)/;
        my ($http) = $text =~ /HTTP proxy listening on 127\.0\.0\.1:(\d+)/;
        my ($metrics_port) = $text =~ m{metrics on http://127\.0\.0\.1:(\d+)/};
        return unless $tcp && $http && $text =~ /listening on \Q$sock\E \(unix\)/ && ($metrics_port || !$metrics);
        @$d{qw(tcp http_port metrics_port)} = ($tcp, $http, $metrics_port);
    });
    return $d;
}

# plackup -s Msglite as a child process; returns a MsgliteTest::Proc.
sub start_plackup {
    my ($daemon, $app, @args) = @_;
    my $log = "$daemon->{dir}/plackup-" . (++$MsgliteTest::runs) . ".log";
    my $pid = _spawn($log, $^X, '-I' . client_lib(), '/usr/bin/plackup', '-s', 'Msglite',
                     '--connect', "unix:$daemon->{unix}", @args, $app);
    return bless { pid => $pid, owner => $$, log => $log }, 'MsgliteTest::Proc';
}

sub _spawn {
    my ($log, @cmd) = @_;
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>>', $log or POSIX::_exit(127);
        open STDERR, '>&', \*STDOUT or POSIX::_exit(127);
        exec { $cmd[0] } @cmd or POSIX::_exit(127);
    }
    return $pid;
}

# One HTTP request through the proxy: (status, body, headers). A fresh client each time, so
# tests that run requests from several processes share nothing.
sub http {
    my ($daemon, $method, $path, %opt) = @_;
    my $ua = HTTP::Tiny->new(max_redirect => 0, timeout => $opt{timeout} || 30, keep_alive => 0);
    my $res = $ua->request($method, "http://127.0.0.1:$daemon->{http_port}$path",
                           { map { $_ => $opt{$_} } grep { exists $opt{$_} } qw(headers content data_callback) });
    return wantarray ? ($res->{status}, $res->{content}, $res->{headers}) : $res;
}

# The same request from a child process, so the test can act while it waits for an answer.
# ->result($seconds) returns (status, body).
sub http_bg {
    my ($daemon, $method, $path, %opt) = @_;
    my $file = "$daemon->{dir}/bg-" . (++$MsgliteTest::bg);
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        my ($status, $body) = http($daemon, $method, $path, %opt);
        if (open my $fh, '>', "$file.tmp") { print $fh "$status\n$body"; close $fh; rename "$file.tmp", $file }
        POSIX::_exit(0);
    }
    return bless { pid => $pid, file => $file }, 'MsgliteTest::Pending';
}

package MsgliteTest::Pending;

sub done { -e $_[0]{file} }

sub result {
    my ($self, $seconds) = @_;
    MsgliteTest::wait_for("the answer to a background request", $seconds, sub { -e $self->{file} });
    waitpid $self->{pid}, 0;
    my ($status, $body) = split /\n/, MsgliteTest::slurp($self->{file}), 2;
    return ($status, $body);
}

package MsgliteTest::Proc;

sub pid { $_[0]{pid} }
sub log_text { MsgliteTest::slurp($_[0]{log}) }

sub signal { kill $_[1] => $_[0]{pid} }

# Waits for the process to exit; returns its exit status ($?) or dies after $seconds.
sub wait_exit {
    my ($self, $seconds) = @_;
    MsgliteTest::wait_for("process $self->{pid} to exit", $seconds, sub {
        my $r = waitpid($self->{pid}, POSIX::WNOHANG());
        return 0 unless $r == $self->{pid};
        $self->{status} = $?;
        delete $self->{pid};
        return 1;
    });
    return $self->{status};
}

sub stop {
    my ($self) = @_;
    return unless $self->{pid};
    kill TERM => $self->{pid};
    eval { $self->wait_exit(30) } or do { kill KILL => $self->{pid}; waitpid($self->{pid}, 0); delete $self->{pid} };
}

# Only the process that started it stops it: a forked test child must not kill the daemon.
sub DESTROY { $_[0]->stop if $_[0]{pid} && $_[0]{owner} == $$ }

package MsgliteTest::Daemon;
our @ISA = ('MsgliteTest::Proc');

sub unix         { $_[0]{unix} }
sub tcp          { $_[0]{tcp} }
sub http_port    { $_[0]{http_port} }
sub metrics_port { $_[0]{metrics_port} }
sub dir          { $_[0]{dir} }

# A per-address figure from the daemon's metrics (started with -metrics-address), or -1.
sub address_metric {
    my ($self, $name, $address) = @_;
    my $text = HTTP::Tiny->new->get("http://127.0.0.1:$self->{metrics_port}/metrics")->{content} // '';
    return $text =~ /^\Q$name\E\{address="\Q$address\E"\} (\d+)$/m ? $1 : -1;
}

1;
