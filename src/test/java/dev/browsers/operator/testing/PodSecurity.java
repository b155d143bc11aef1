package dev.browsers.operator.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The "restricted" Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards), the
 * baseline's checks included, applied to a pod spec as the PodSecurity admission controller would.
 */
public final class PodSecurity {
    /** The volume types the restricted profile allows. */
    static final Set<String> ALLOWED_VOLUMES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

    static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");

    private PodSecurity() {}

    /** What the restricted profile would refuse in this pod spec; empty when it admits it. */
    public static List<String> restrictedViolations(PodSpec spec) {
        List<String> violations = new ArrayList<>();
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            violations.add("hostNetwork");
        }
        if (Boolean.TRUE.equals(spec.getHostPID())) {
            violations.add("hostPID");
        }
        if (Boolean.TRUE.equals(spec.getHostIPC())) {
            violations.add("hostIPC");
        }
        if (spec.getVolumes() != null) {
            for (Volume volume : spec.getVolumes()) {
                String type = volumeType(volume);
                if (!ALLOWED_VOLUMES.contains(type)) {
                    violations.add("volume " + volume.getName() + " of type " + type);
                }
            }
        }
        PodSecurityContext pod =
                spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
        if (pod.getRunAsUser() != null && pod.getRunAsUser() == 0) {
            violations.add("pod runAsUser 0");
        }
        if (pod.getSysctls() != null) {
            pod.getSysctls().stream()
                    .filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
                    .forEach(s -> violations.add("sysctl " + s.getName()));
        }
        if (pod.getSeLinuxOptions() != null
                && !seLinuxTypeAllowed(pod.getSeLinuxOptions().getType())) {
            violations.add("pod seLinux type " + pod.getSeLinuxOptions().getType());
        }
        if (pod.getAppArmorProfile() != null
                && "Unconfined".equals(pod.getAppArmorProfile().getType())) {
            violations.add("pod appArmor Unconfined");
        }
        List<Container> containers = Stream.concat(
                        spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream(),
                        spec.getContainers().stream())
                .toList();
        for (Container container : containers) {
            String name = "container " + container.getName() + ": ";
            SecurityContext context =
                    container.getSecurityContext() == null ? new SecurityContext() : container.getSecurityContext();
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                violations.add(name + "privileged");
            }
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                violations.add(name + "allowPrivilegeEscalation not false");
            }
            boolean nonRoot = context.getRunAsNonRoot() != null
                    ? context.getRunAsNonRoot()
                    : Boolean.TRUE.equals(pod.getRunAsNonRoot());
            if (!nonRoot) {
                violations.add(name + "runAsNonRoot not true");
            }
            if (context.getRunAsUser() != null && context.getRunAsUser() == 0) {
                violations.add(name + "runAsUser 0");
            }
            SeccompProfile seccomp =
                    context.getSeccompProfile() != null ? context.getSeccompProfile() : pod.getSeccompProfile();
            if (seccomp == null || !Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType())) {
                violations.add(name + "seccomp profile not RuntimeDefault or Localhost");
            }
            if (context.getCapabilities() == null
                    || context.getCapabilities().getDrop() == null
                    || !context.getCapabilities().getDrop().contains("ALL")) {
                violations.add(name + "capabilities do not drop ALL");
            }
            if (context.getCapabilities() != null && context.getCapabilities().getAdd() != null) {
                context.getCapabilities().getAdd().stream()
                        .filter(c -> !c.equals("NET_BIND_SERVICE"))
                        .forEach(c -> violations.add(name + "adds capability " + c));
            }
            if (context.getProcMount() != null && !"Default".equals(context.getProcMount())) {
                violations.add(name + "procMount " + context.getProcMount());
            }
            if (context.getSeLinuxOptions() != null
                    && !seLinuxTypeAllowed(context.getSeLinuxOptions().getType())) {
                violations.add(
                        name + "seLinux type " + context.getSeLinuxOptions().getType());
            }
            if (context.getAppArmorProfile() != null
                    && "Unconfined".equals(context.getAppArmorProfile().getType())) {
                violations.add(name + "appArmor Unconfined");
            }
            if (container.getPorts() != null) {
                container.getPorts().stream()
                        .map(ContainerPort::getHostPort)
                        .filter(p -> p != null && p != 0)
                        .forEach(p -> violations.add(name + "hostPort " + p));
            }
        }
        return violations;
    }

    private static boolean seLinuxTypeAllowed(String type) {
        return type == null
                || type.isEmpty()
                || Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t")
                        .contains(type);
    }

    private static String volumeType(Volume volume) {
        if (volume.getConfigMap() != null) return "configMap";
        if (volume.getCsi() != null) return "csi";
        if (volume.getDownwardAPI() != null) return "downwardAPI";
        if (volume.getEmptyDir() != null) return "emptyDir";
        if (volume.getEphemeral() != null) return "ephemeral";
        if (volume.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (volume.getProjected() != null) return "projected";
        if (volume.getSecret() != null) return "secret";
        if (volume.getHostPath() != null) return "hostPath";
        return "other";
    }
}
