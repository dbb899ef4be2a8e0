#!/usr/bin/python
# TEST DOUBLE: never executed. The oracle's callback plugin (sysfleet_oracle) replaces the action of every
# module but sysctl with a stand-in that changes nothing, so this stub only lets Ansible resolve the name
# ansible.posix.rpm_ostree_upgrade while the test double collection shadows the real ansible.posix.
DOCUMENTATION = r'''
module: rpm_ostree_upgrade
short_description: sysfleet oracle test double (name only)
'''
