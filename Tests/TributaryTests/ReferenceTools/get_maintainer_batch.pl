#!/usr/bin/env perl
# Runs the kernel's get_maintainer.pl for many queries without re-reading MAINTAINERS each time.
#
# Usage: perl get_maintainer_batch.pl GET_MAINTAINER.PL [OPTION...] < queries
# Each line of standard input is one query: its words, separated by tabs, are the file
# arguments of one get_maintainer.pl run (paths with -f among the options, or patch files).
# For each query the output of that run is printed, followed by a line holding only "\x1e".
#
# How: the script's text is split where it starts processing its file arguments. The first part
# (options, MAINTAINERS, .mailmap) runs once; for each query the process forks and the child runs
# the second part with @ARGV set to the query, exactly as a fresh run would. The second part's
# file-scoped `my` variables are declared before the loop so that the script's subroutines still
# see them. The script itself is not changed on disk.
#
# Changes to the text, none of which changes an answer (the orders are ones the script can give):
# - sections of equal depth are listed in file order. The script lists them in Perl's hash
#   order, which is random; file order is one of the orders it can give, and the one Tributary
#   uses, so outputs can be compared line by line;
# - each F:/X: regex is compiled once (`qr@^$pattern@`) instead of on every call
#   (`$file =~ m@^$pattern@`), which is the same regex and makes thousands of queries fast.
use strict;
use warnings;

my $script = shift @ARGV or die "usage: $0 GET_MAINTAINER.PL [OPTION...]\n";
open(my $in, '<', $script) or die "$0: cannot read $script: $!\n";
my $text = do { local $/; <$in> };
close($in);

my $sort = 'sort {$hash{$b} <=> $hash{$a}} keys %hash';
die "$0: $script does not sort sections as expected\n" if index($text, $sort) < 0;
$text =~ s/\Q$sort\E/sort {\$hash{\$b} <=> \$hash{\$a} || \$a <=> \$b} keys %hash/;
# The same sort elsewhere (vcs_assign: the signers of a Fixes: commit, equal counts in hash
# order) takes equal counts in byte order, as Tributary does.
$text =~ s/\Q$sort\E/sort {\$hash{\$b} <=> \$hash{\$a} || \$a cmp \$b} keys %hash/g;

# --find-maintainer-files reads the files in File::Find's order, which is the directory's order
# on disk; they are read in byte order of their paths instead, one of the orders the script can
# meet, and Tributary's.
my $found = 'die "$P: No MAINTAINER files found in \'$path\'\\n" if (scalar(@mfiles) == 0);';
$text =~ s/\Q$found\E/\@mfiles = sort(\@mfiles);\n    $found/;

my $match = 'if ($file =~ m@^$pattern@) {';
die "$0: $script does not match patterns as expected\n" if index($text, $match) < 0;
$text =~ s/\Q$match\E/if (\$file =~ tributary_pattern(\$pattern)) {/g;

my $marker = "## use the filenames on the command line or find the filenames in the patchfiles";
my $start = index($text, $marker);
my $end = index($text, "exit(\$exit);", $start);
die "$0: $script does not have the expected layout\n" if $start < 0 || $end < 0;

my $head = substr($text, 0, $start);
my $body = substr($text, $start, $end - $start);
my $tail = substr($text, $end + length("exit(\$exit);"));

my @declarations;
$body =~ s{^my ([\%\@\$]\w+)\s*(=\s*[^;]*)?;}{
    my ($name, $value) = ($1, $2);
    push(@declarations, "my $name;");
    defined $value ? "$name $value;" : "$name = ();";
}gme;

my $before = <<'PERL';
my %tributary_patterns;
sub tributary_pattern { my ($p) = @_; return $tributary_patterns{$p} //= qr@^$p@; }
foreach my $tributary_tv (@typevalue) {
    tributary_pattern($2) if ($tributary_tv =~ m/^([FX]):\s*(.*)/);
}
$| = 1;
while (my $tributary_query = <STDIN>) {
    chomp $tributary_query;
    my $pid = fork();
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        @ARGV = split(/\t/, $tributary_query);
PERL
my $after = <<'PERL';
        exit($exit);
    }
    waitpid($pid, 0);
    print "\x1e\n";
}
exit(0);
PERL

local $0 = $script;
my $program = $head . join("\n", @declarations) . "\n" . $before . $body . "\n" . $after . $tail;
eval "package main;\n#line 1 \"$script\"\n" . $program;
die $@ if $@;
