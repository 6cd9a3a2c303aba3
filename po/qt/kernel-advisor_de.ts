<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>FleetPage</name>
    <message>
        <source>One row per machine. Type to filter, click a heading to sort, double-click a machine for its full analysis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. KVM, off in firmware, eol, web</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the machines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;ilter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshots analysed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sto&amp;p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop analysing the snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select all machines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Machines of the fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleet summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleet report format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the fleet report to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder cannot be read: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysing %d snapshots…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped. </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This folder holds no snapshots (*.tar.gz).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The fleet could not be analysed: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s — Kernel Advisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export fleet report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing %s…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was written: %s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Inputs</name>
    <message>
        <source>Saving a snapshot of this computer</source>
        <extracomment>the pages each choice on the welcome page walks through (&quot;Step N of M&quot;) a folder of snapshots: the fleet page</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleet: the snapshots in %s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NeedsPage</name>
    <message>
        <source>The defaults suit most people; change what does not fit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your needs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which systems will run as guests?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Linux only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any system, &amp;Windows or BSD too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning and experimenting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop virtual machines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel development</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Purpose:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What matters more?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A &amp;stable base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest fea&amp;tures</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Step %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecommendationPage</name>
    <message>
        <source>The three frameworks, best first, with the evidence behind each verdict and what to do next.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer in one sentence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not be known here: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next steps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sources for %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy this step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy: %s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Keep the answer: export a report, or copy a summary.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include this computer&apos;s &amp;host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include this computer&apos;s host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the report to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy a summary to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s exists. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing %s…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report could not be written: %s
Any existing file was left untouched.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanPage</name>
    <message>
        <source>Each check appears as it completes. Expand a row for its evidence: the file read and what it said.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks and their results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read from: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not known because: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d checks done. Next: a few questions about your needs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No framework fits as things stand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go Back to choose something else.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The analysis stopped on an unexpected error: %s. Go Back to try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StabilityPage</name>
    <message>
        <source>Odd and even numbers, release channels, and how old our data is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel stability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel&apos;s support status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes on this kernel&apos;s stability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the release data comes from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;kernel.org now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check kernel.org now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the kernel.org check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome of the kernel.org check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  (Upstream channel: %s.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%d days old)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fetched from kernel.org just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kernel.org&apos;s, cached on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bundled with the app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release data: %s, as of %s%s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifecycle dates: endoflife.date (%s), bundled, as of %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking kernel.org…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking kernel.org (gives up after %d seconds)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check cancelled; the release data above is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kernel.org answered: the data above is current.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kernel.org could not be reached: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kernel.org check failed: %s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TakeSnapshotPage</name>
    <message>
        <source>Everything Kernel Advisor reads here, in one file: look through it, then save it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a snapshot of this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the snapshot holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files in the snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save snapshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the snapshot to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collecting what Kernel Advisor reads on this computer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%d files and device entries, %d KB compressed. Nothing secret goes in: the kernel command line keeps only the options that matter here, /etc/group only the line of /dev/kvm&apos;s group, the mount table only / and /dev.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The snapshot could not be collected: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshots (*.tar.gz)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing %s…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %s. On the other machine, open it with “A snapshot from another machine”, or run: kernel-advisor check --snapshot %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: %s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <source>Timeline of virtualization frameworks in Linux</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KVM from 2.6.20; lguest 2.6.23 to 4.13; Xen domU from 2.6.23 and dom0 from 2.6.37; VMI 2.6.21 to 2.6.36.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marked: this kernel, %s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Choose what to analyse.</source>
        <extracomment>the what-if architectures; &quot;&quot; keeps the analysed machine&apos;s own</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which hypervisor fits this machine?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel Advisor reads the running kernel&apos;s release, the CPU&apos;s virtualization support (VT-x, AMD-V), /dev/kvm, kernel modules and configuration, and whether this machine is itself a virtual machine or container. It asks for no password and changes nothing.

Nothing leaves this computer, except an optional check of kernel.org&apos;s list of current releases, which you start yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What should be analysed?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;This computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A &amp;snapshot from another machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;What if this computer ran another kernel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a snapshot of this &amp;computer, to analyse elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A folder of snapshots (a f&amp;leet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a .tar.gz made by &apos;kernel-advisor snapshot&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Br&amp;owse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse for a snapshot file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this computer&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a folder of .tar.gz snapshots (the playbook&apos;s snapshots/)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder of snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose &amp;folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folder of snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kernel release:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Architecture:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshots (*.tar.gz *.tgz *.tar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder of snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type or browse for the snapshot file to analyse.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no file %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type or choose the folder that holds the snapshots.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no folder %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the kernel release to ask about, such as 2.6.23 or 6.8.0-45-generic, or pick an architecture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%s” is not a kernel release: it should look like 2.6.23 or 6.8.0-45-generic.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The details below can be copied into a bug report.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
