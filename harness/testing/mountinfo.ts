/** A /proc/self/mountinfo of a machine with one lab (ab12) and a stale folder of another (cd34), for unit tests. */
export const MOUNTINFO = `
27 1 254:0 / / rw - ext4 /dev/vda rw
28 27 0:5 / /proc rw - proc proc rw
29 27 0:6 / /dev rw - devtmpfs dev rw
30 29 0:7 / /dev/shm rw - tmpfs shm rw
40 27 254:0 /run/netns /run/netns rw shared:1 - ext4 /dev/vda rw
41 40 0:4 net:[1] /run/netns/sky-ab12-cp rw shared:2 - nsfs nsfs rw
50 27 254:0 /run/skyprobe/lab-ab12/mntns /run/skyprobe/lab-ab12/mntns rw - ext4 /dev/vda rw
51 50 0:4 mnt:[2] /run/skyprobe/lab-ab12/mntns/u1.c rw - nsfs nsfs rw
52 27 0:9 / /run/skyprobe/lab-ab12/pods/u1/volumes/mem rw - tmpfs skyprobe-ab12 rw
53 27 0:10 / /run/skyprobe/lab-cd34/mntns rw - ext4 /dev/vda rw
54 27 0:11 / /mnt/with\\040space rw - tmpfs x rw
`;
