import Testing
import Tributary

@Suite struct RepositoryURLTests {
    @Test("one repository however reached: scheme, user, port, .git and a trailing / aside; host case ignored")
    func sameRepository() {
        let kernel = "https://git.kernel.org/pub/scm/linux/kernel/git/krzk/linux.git"
        #expect(RepositoryURL.same("git://git.kernel.org/pub/scm/linux/kernel/git/krzk/linux.git", kernel))
        #expect(RepositoryURL.same("https://Git.Kernel.org/pub/scm/linux/kernel/git/krzk/linux/", kernel))
        #expect(RepositoryURL.same("ssh://git@git.kernel.org:22/pub/scm/linux/kernel/git/krzk/linux", kernel))
        #expect(RepositoryURL.same("git@github.com:AsahiLinux/linux.git", "https://github.com/AsahiLinux/linux"))
        #expect(!RepositoryURL.same("https://git.kernel.org/pub/scm/linux/kernel/git/krzk/linux-dt.git", kernel))
        #expect(!RepositoryURL.same("https://github.com/asahilinux/linux", "https://github.com/AsahiLinux/linux"))
        #expect(RepositoryURL("/srv/git/slab.git").key == "/srv/git/slab")
    }
}
