"""
Tests of the emulator compatibility layer (moto_patches.py), in-process with
moto's mock_aws (no network). For every patch, two facts:
  - unpatched moto still shows the gap: when a moto upgrade fixes it this test
    fails, and the patch can be deleted;
  - patched, the emulator answers as AWS does.
Run: python3 -m unittest scripts/rehearsal/test_moto_patches.py  (npm test runs it)
"""
from __future__ import annotations

import os
import sys
import unittest
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

import moto_patches  # noqa: E402

REGION = "us-east-1"


def patch_named(name: str) -> moto_patches.Patch:
    return next(p for p in moto_patches.all_patches() if p.name == name)


class PatchCase(unittest.TestCase):
    """Runs each test twice-capable: `with self.patched(name)` applies one patch for its block."""

    def patched(self, name: str):
        patch = patch_named(name)
        case = self

        class Ctx:
            def __enter__(self):
                patch.apply()
                return patch

            def __exit__(self, *exc):
                patch.revert()
                return False

        case.addCleanup(patch.revert)
        return Ctx()

    def setUp(self):
        self.mock = mock_aws()
        self.mock.start()
        self.ec2 = boto3.client("ec2", region_name=REGION)
        self.rds = boto3.client("rds", region_name=REGION)

    def tearDown(self):
        self.mock.stop()

    def subnet(self) -> str:
        vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        return self.ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]

    def image(self) -> str:
        return self.ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]


class Ec2MonitorInstances(PatchCase):
    def run_instance(self) -> str:
        return self.ec2.run_instances(ImageId=self.image(), MinCount=1, MaxCount=1, SubnetId=self.subnet())["Instances"][0]["InstanceId"]

    def test_unpatched_moto_does_not_implement_monitor_instances(self):
        instance = self.run_instance()
        with self.assertRaises(Exception) as raised:
            self.ec2.monitor_instances(InstanceIds=[instance])
        self.assertIn("not yet implemented", str(raised.exception))

    def test_patched_enables_and_disables_detailed_monitoring(self):
        instance = self.run_instance()
        with self.patched("ec2-monitor-instances"):
            answer = self.ec2.monitor_instances(InstanceIds=[instance])["InstanceMonitorings"]
            self.assertEqual(answer, [{"InstanceId": instance, "Monitoring": {"State": "enabled"}}])
            described = self.ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
            self.assertEqual(described["Monitoring"]["State"], "enabled")
            self.ec2.unmonitor_instances(InstanceIds=[instance])
            described = self.ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
            self.assertEqual(described["Monitoring"]["State"], "disabled")


class Ec2TerminateDetachesKeptEni(PatchCase):
    def terminate_with_own_eni(self) -> str:
        eni = self.ec2.create_network_interface(SubnetId=self.subnet())["NetworkInterface"]["NetworkInterfaceId"]
        instance = self.ec2.run_instances(
            ImageId=self.image(), MinCount=1, MaxCount=1, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni}]
        )["Instances"][0]["InstanceId"]
        self.ec2.terminate_instances(InstanceIds=[instance])
        return eni

    def status(self, eni: str) -> str:
        return self.ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]["Status"]

    def test_unpatched_moto_keeps_the_eni_attached_to_the_terminated_instance(self):
        eni = self.terminate_with_own_eni()
        self.assertEqual(self.status(eni), "in-use")

    def test_patched_detaches_it_so_it_can_be_deleted(self):
        with self.patched("ec2-terminate-detaches-kept-eni"):
            eni = self.terminate_with_own_eni()
            self.assertEqual(self.status(eni), "available")
            terminated = self.ec2.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["terminated"]}])["Reservations"][0]["Instances"]
            self.assertEqual(len(terminated), 1)
            self.ec2.delete_network_interface(NetworkInterfaceId=eni)
            self.assertEqual(self.ec2.describe_network_interfaces(Filters=[{"Name": "network-interface-id", "Values": [eni]}])["NetworkInterfaces"], [])


class Ec2EniNoEmptyAssociation(PatchCase):
    """boto3 drops an empty element while parsing; the provider's Go SDK does not: look at the raw XML."""

    def describe_instance_raw(self) -> tuple[str, str]:
        eni = self.ec2.create_network_interface(SubnetId=self.subnet())["NetworkInterface"]["NetworkInterfaceId"]
        instance = self.ec2.run_instances(ImageId=self.image(), MinCount=1, MaxCount=1, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni}])["Instances"][0]["InstanceId"]
        bodies: list[bytes] = []
        self.ec2.meta.events.register("before-parse.ec2.DescribeInstances", lambda response_dict, **_: bodies.append(response_dict["body"]))
        self.ec2.describe_instances(InstanceIds=[instance])
        return eni, bodies[-1].decode()

    def test_unpatched_moto_returns_an_empty_association(self):
        _, raw = self.describe_instance_raw()
        self.assertRegex(raw, r"<association\s*/>|<association>\s*</association>")

    def test_patched_omits_it_without_public_ip_and_keeps_it_with_an_eip(self):
        with self.patched("ec2-eni-no-empty-association"):
            eni, raw = self.describe_instance_raw()
            self.assertNotIn("<association", raw)
            allocation = self.ec2.allocate_address(Domain="vpc")
            self.ec2.associate_address(AllocationId=allocation["AllocationId"], NetworkInterfaceId=eni)
            again = self.ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]
            self.assertEqual(again["Association"]["PublicIp"], allocation["PublicIp"])


class RdsUniqueDbiResourceId(PatchCase):
    def three_databases(self) -> list[str]:
        """Two instances and a read replica of the first."""
        for name in ("one", "two"):
            self.rds.create_db_instance(DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="mysql", MasterUsername="admin", MasterUserPassword="password123", AllocatedStorage=20)
        self.rds.create_db_instance_read_replica(DBInstanceIdentifier="one-replica", SourceDBInstanceIdentifier="one")
        return [d["DbiResourceId"] for d in self.rds.describe_db_instances()["DBInstances"]]

    def test_unpatched_moto_gives_every_instance_the_same_id(self):
        ids = self.three_databases()
        self.assertEqual(len(ids), 3)
        self.assertEqual(len(set(ids)), 1)

    def test_patched_ids_are_unique_and_stable(self):
        with self.patched("rds-unique-dbi-resource-id"):
            ids = self.three_databases()
            self.assertEqual(len(set(ids)), 3)
            self.assertTrue(all(i.startswith("db-") and len(i) == 29 for i in ids))
            self.assertEqual(ids, [d["DbiResourceId"] for d in self.rds.describe_db_instances()["DBInstances"]])


class RdsReplicaMultiAz(PatchCase):
    def replica_multi_az(self) -> bool:
        self.rds.create_db_instance(DBInstanceIdentifier="src", DBInstanceClass="db.t3.micro", Engine="mysql", MasterUsername="admin", MasterUserPassword="password123", AllocatedStorage=20, MultiAZ=True)
        self.rds.create_db_instance_read_replica(DBInstanceIdentifier="src-replica", SourceDBInstanceIdentifier="src")
        return self.rds.describe_db_instances(DBInstanceIdentifier="src-replica")["DBInstances"][0]["MultiAZ"]

    def test_unpatched_moto_copies_the_source_multi_az(self):
        self.assertTrue(self.replica_multi_az())

    def test_patched_replica_is_single_az_unless_asked(self):
        with self.patched("rds-replica-multi-az"):
            self.assertFalse(self.replica_multi_az())


class RdsParameterSourceUser(PatchCase):
    def set_parameter(self) -> list[dict]:
        self.rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="mysql8.0", Description="d")
        self.rds.modify_db_parameter_group(
            DBParameterGroupName="pg", Parameters=[{"ParameterName": "require_secure_transport", "ParameterValue": "1", "ApplyMethod": "immediate"}]
        )
        return self.rds.describe_db_parameters(DBParameterGroupName="pg", Source="user")["Parameters"]

    def test_unpatched_moto_returns_user_parameters_without_source(self):
        parameters = self.set_parameter()
        self.assertEqual([p["ParameterName"] for p in parameters], ["require_secure_transport"])
        self.assertNotIn("Source", parameters[0])

    def test_patched_marks_them_source_user(self):
        with self.patched("rds-parameter-source-user"):
            parameters = self.set_parameter()
            self.assertEqual(parameters[0]["Source"], "user")
            self.assertEqual(parameters[0]["ParameterValue"], "1")


class Ec2PortlessProtocolRule(PatchCase):
    def allow_vrrp(self) -> str:
        vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        group = self.ec2.create_security_group(GroupName="pair", Description="d", VpcId=vpc)["GroupId"]
        self.ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "112", "IpRanges": [{"CidrIp": "10.0.1.0/24"}]}])
        return group

    def test_unpatched_moto_crashes_on_a_rule_without_ports(self):
        with self.assertRaises(TypeError):
            self.allow_vrrp()

    def test_patched_stores_the_rule_with_ports_minus_one(self):
        with self.patched("ec2-portless-protocol-rule"):
            group = self.allow_vrrp()
            rules = self.ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
            vrrp = [r for r in rules if r["IpProtocol"] == "112"]
            self.assertEqual([(r["FromPort"], r["ToPort"], r["CidrIpv4"]) for r in vrrp], [(-1, -1, "10.0.1.0/24")])

    def test_patched_leaves_port_protocols_to_moto(self):
        # TCP and UDP need ports (AWS: "Must specify both from and to ports with TCP/UDP"): the patch reads the protocol,
        # not the group id (moto passes ip_protocol before group_id), so a TCP rule without ports is still refused.
        with self.patched("ec2-portless-protocol-rule"):
            vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
            group = self.ec2.create_security_group(GroupName="web", Description="d", VpcId=vpc)["GroupId"]
            with self.assertRaises(TypeError):
                self.ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "IpRanges": [{"CidrIp": "10.0.1.0/24"}]}])


class Ec2InstanceGroupsFromPrimaryEni(PatchCase):
    def launch(self) -> tuple[str, dict]:
        subnet = self.subnet()
        vpc = self.ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["VpcId"]
        group = self.ec2.create_security_group(GroupName="web", Description="d", VpcId=vpc)["GroupId"]
        instance = self.ec2.run_instances(
            ImageId=self.image(), MinCount=1, MaxCount=1, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "Groups": [group], "AssociatePublicIpAddress": False}]
        )["Instances"][0]["InstanceId"]
        return group, self.ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]

    def test_unpatched_moto_describes_no_security_groups(self):
        group, described = self.launch()
        self.assertEqual(described["SecurityGroups"], [])
        self.assertEqual([g["GroupId"] for g in described["NetworkInterfaces"][0]["Groups"]], [group])

    def test_patched_lists_the_primary_interface_groups(self):
        with self.patched("ec2-instance-groups-from-primary-eni"):
            group, described = self.launch()
            self.assertEqual([g["GroupId"] for g in described["SecurityGroups"]], [group])


class RdsEnhancedMonitoring(PatchCase):
    ROLE = "arn:aws:iam::123456789012:role/rds-monitoring"

    def create(self) -> dict:
        self.rds.create_db_instance(
            DBInstanceIdentifier="mon", DBInstanceClass="db.t3.micro", Engine="mysql", MasterUsername="admin", MasterUserPassword="password123", AllocatedStorage=20, MonitoringInterval=60, MonitoringRoleArn=self.ROLE
        )
        return self.rds.describe_db_instances(DBInstanceIdentifier="mon")["DBInstances"][0]

    def test_unpatched_moto_forgets_the_monitoring_settings(self):
        described = self.create()
        self.assertNotIn("MonitoringRoleArn", described)
        self.assertIn(described.get("MonitoringInterval", 0), (0, None))

    def test_patched_returns_them(self):
        with self.patched("rds-enhanced-monitoring"):
            described = self.create()
            self.assertEqual((described["MonitoringInterval"], described["MonitoringRoleArn"]), (60, self.ROLE))


class Ec2GroupRuleDescription(PatchCase):
    def rule(self) -> dict:
        vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        app = self.ec2.create_security_group(GroupName="app", Description="d", VpcId=vpc)["GroupId"]
        db = self.ec2.create_security_group(GroupName="db", Description="d", VpcId=vpc)["GroupId"]
        self.ec2.authorize_security_group_ingress(
            GroupId=db, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": app, "Description": "app to mysql"}]}]
        )
        rules = self.ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [db]}])["SecurityGroupRules"]
        return next(r for r in rules if not r["IsEgress"])

    def test_unpatched_moto_drops_the_description(self):
        self.assertNotIn("Description", self.rule())

    def test_patched_keeps_it(self):
        with self.patched("ec2-group-rule-description"):
            self.assertEqual(self.rule()["Description"], "app to mysql")


class Ec2PeeringTagsPerRegion(PatchCase):
    def peer(self) -> tuple[Any, str]:
        west = boto3.client("ec2", region_name="us-west-2")
        vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        peer = west.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        pcx = self.ec2.create_vpc_peering_connection(
            VpcId=vpc, PeerVpcId=peer, PeerRegion="us-west-2", TagSpecifications=[{"ResourceType": "vpc-peering-connection", "Tags": [{"Key": "Side", "Value": "requester"}]}]
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        west.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
        west.create_tags(Resources=[pcx], Tags=[{"Key": "Side", "Value": "accepter"}])
        return west, pcx

    @staticmethod
    def side(client: Any, pcx: str) -> str:
        tags = client.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])["VpcPeeringConnections"][0]["Tags"]
        return {t["Key"]: t["Value"] for t in tags}["Side"]

    def test_unpatched_moto_shows_the_requester_tags_in_the_accepter_region(self):
        west, pcx = self.peer()
        self.assertEqual(self.side(west, pcx), "requester")

    def test_patched_each_region_sees_its_own_tags(self):
        with self.patched("ec2-peering-tags-per-region"):
            west, pcx = self.peer()
            self.assertEqual(self.side(west, pcx), "accepter")
            self.assertEqual(self.side(self.ec2, pcx), "requester")
            status = west.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])["VpcPeeringConnections"][0]["Status"]["Code"]
            self.assertEqual(status, "active")


class Ec2InstanceConnectEndpoint(PatchCase):
    def create(self, subnet: str, group: str) -> dict[str, Any]:
        return self.ec2.create_instance_connect_endpoint(
            SubnetId=subnet, SecurityGroupIds=[group], PreserveClientIp=False, TagSpecifications=[{"ResourceType": "instance-connect-endpoint", "Tags": [{"Key": "Name", "Value": "eice"}]}]
        )["InstanceConnectEndpoint"]

    def group(self, subnet: str) -> str:
        vpc = self.ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["VpcId"]
        return self.ec2.create_security_group(GroupName="eice", Description="endpoint", VpcId=vpc)["GroupId"]

    def test_unpatched_moto_does_not_implement_instance_connect_endpoints(self):
        subnet = self.subnet()
        with self.assertRaises(Exception):
            self.create(subnet, self.group(subnet))

    def test_patched_creates_describes_and_deletes_an_endpoint(self):
        with self.patched("ec2-instance-connect-endpoint"):
            subnet = self.subnet()
            group = self.group(subnet)
            created = self.create(subnet, group)
            eid = created["InstanceConnectEndpointId"]
            self.assertRegex(eid, r"^eice-[0-9a-f]{17}$")
            self.assertEqual(created["State"], "create-in-progress")
            found = self.ec2.describe_instance_connect_endpoints(InstanceConnectEndpointIds=[eid])["InstanceConnectEndpoints"]
            self.assertEqual(len(found), 1)
            endpoint = found[0]
            self.assertEqual(endpoint["State"], "create-complete")
            self.assertEqual(endpoint["SubnetId"], subnet)
            self.assertEqual(endpoint["SecurityGroupIds"], [group])
            self.assertFalse(endpoint["PreserveClientIp"])
            self.assertEqual(endpoint["InstanceConnectEndpointArn"], f"arn:aws:ec2:{REGION}:123456789012:instance-connect-endpoint/{eid}")
            self.assertEqual(endpoint["Tags"], [{"Key": "Name", "Value": "eice"}])
            self.assertIn(".ec2-instance-connect-endpoint.us-east-1.amazonaws.com", endpoint["DnsName"])
            self.assertEqual([e["InstanceConnectEndpointId"] for e in self.ec2.describe_instance_connect_endpoints(Filters=[{"Name": "vpc-id", "Values": [endpoint["VpcId"]]}])["InstanceConnectEndpoints"]], [eid])
            self.assertEqual(self.ec2.describe_instance_connect_endpoints(Filters=[{"Name": "state", "Values": ["delete-complete"]}])["InstanceConnectEndpoints"], [])
            # One endpoint per VPC.
            with self.assertRaises(Exception) as raised:
                self.create(subnet, group)
            self.assertIn("InstanceConnectEndpointLimitExceeded", str(raised.exception))
            deleted = self.ec2.delete_instance_connect_endpoint(InstanceConnectEndpointId=eid)["InstanceConnectEndpoint"]
            self.assertEqual(deleted["State"], "delete-in-progress")
            with self.assertRaises(Exception) as raised:
                self.ec2.describe_instance_connect_endpoints(InstanceConnectEndpointIds=[eid])
            self.assertIn("InvalidInstanceConnectEndpointId.NotFound", str(raised.exception))
            self.assertEqual(self.ec2.describe_instance_connect_endpoints()["InstanceConnectEndpoints"], [])


class ElasticacheUserGroups(PatchCase):
    def setUp(self):
        super().setUp()
        self.cache = boto3.client("elasticache", region_name=REGION)

    def test_unpatched_moto_does_not_implement_user_groups(self):
        with self.assertRaises(Exception) as raised:
            self.cache.create_user_group(UserGroupId="users", Engine="redis", UserIds=["default"])
        self.assertIn("not been implemented", str(raised.exception))

    def test_patched_creates_describes_modifies_tags_and_deletes(self):
        with self.patched("elasticache-user-groups"):
            self.cache.create_user(UserId="app", UserName="app", Engine="redis", AccessString="on ~* +@all", AuthenticationMode={"Type": "iam"})
            with self.assertRaises(Exception) as raised:
                self.cache.create_user_group(UserGroupId="users", Engine="redis", UserIds=["app"])
            self.assertIn("DefaultUserRequired", str(raised.exception))
            created = self.cache.create_user_group(UserGroupId="users", Engine="REDIS", UserIds=["default"], Tags=[{"Key": "Project", "Value": "p"}])
            self.assertEqual((created["Status"], created["Engine"]), ("creating", "redis"))
            self.cache.modify_user_group(UserGroupId="users", UserIdsToAdd=["app"])
            group = self.cache.describe_user_groups(UserGroupId="users")["UserGroups"][0]
            self.assertEqual((group["Status"], sorted(group["UserIds"])), ("active", ["app", "default"]))
            self.assertEqual(self.cache.describe_users(UserId="app")["Users"][0]["UserGroupIds"], ["users"])
            self.assertEqual(self.cache.list_tags_for_resource(ResourceName=group["ARN"])["TagList"], [{"Key": "Project", "Value": "p"}])
            self.assertEqual(self.cache.delete_user_group(UserGroupId="users")["Status"], "deleting")
            with self.assertRaises(self.cache.exceptions.UserGroupNotFoundFault):
                self.cache.describe_user_groups(UserGroupId="users")

    def test_patched_refuses_to_delete_a_group_in_use(self):
        with self.patched("elasticache-user-groups"):
            self.cache.create_user_group(UserGroupId="users", Engine="redis", UserIds=["default"])
            self.cache.create_replication_group(ReplicationGroupId="rg", ReplicationGroupDescription="d", Engine="redis", UserGroupIds=["users"])
            self.assertEqual(self.cache.describe_user_groups(UserGroupId="users")["UserGroups"][0]["ReplicationGroups"], ["rg"])
            with self.assertRaises(Exception) as raised:
                self.cache.delete_user_group(UserGroupId="users")
            self.assertIn("InvalidUserGroupState", str(raised.exception))


class ElasticacheReplicationGroupMembers(PatchCase):
    def setUp(self):
        super().setUp()
        self.cache = boto3.client("elasticache", region_name=REGION)

    def create(self) -> dict:
        self.cache.create_cache_subnet_group(CacheSubnetGroupName="subnets", CacheSubnetGroupDescription="d", SubnetIds=[self.subnet()])
        return self.cache.create_replication_group(
            ReplicationGroupId="rg", ReplicationGroupDescription="d", NumCacheClusters=2, CacheNodeType="cache.t3.micro", Engine="redis",
            EngineVersion="7.1", CacheParameterGroupName="default.redis7", CacheSubnetGroupName="subnets", SecurityGroupIds=["sg-12345678"],
            PreferredMaintenanceWindow="sun:05:30-sun:06:30", TransitEncryptionEnabled=True, TransitEncryptionMode="required",
        )["ReplicationGroup"]

    def test_unpatched_moto_makes_one_member_that_is_no_cache_cluster_and_never_deletes(self):
        group = self.create()
        self.assertEqual(group["MemberClusters"], ["rg-001"])
        with self.assertRaises(Exception) as raised:
            self.cache.describe_cache_clusters(CacheClusterId="rg-001")
        self.assertIn("CacheClusterNotFound", str(raised.exception))
        self.cache.delete_replication_group(ReplicationGroupId="rg")
        for _ in range(3):
            self.assertEqual(self.cache.describe_replication_groups(ReplicationGroupId="rg")["ReplicationGroups"][0]["Status"], "deleting")

    def test_patched_members_are_cache_clusters_with_the_group_settings_and_go_with_it(self):
        with self.patched("elasticache-replication-group-members"):
            group = self.create()
            self.assertEqual(group["MemberClusters"], ["rg-001", "rg-002"])
            member = self.cache.describe_cache_clusters(CacheClusterId="rg-002")["CacheClusters"][0]
            self.assertEqual(
                (member["ReplicationGroupId"], member["CacheNodeType"], member["CacheParameterGroup"]["CacheParameterGroupName"], member["SecurityGroups"][0]["SecurityGroupId"], member["PreferredMaintenanceWindow"], member["CacheSubnetGroupName"], member["TransitEncryptionMode"]),
                ("rg", "cache.t3.micro", "default.redis7", "sg-12345678", "sun:05:30-sun:06:30", "subnets", "required"),
            )
            self.cache.delete_replication_group(ReplicationGroupId="rg")
            self.assertEqual(self.cache.describe_replication_groups(ReplicationGroupId="rg")["ReplicationGroups"][0]["Status"], "deleting")
            with self.assertRaises(self.cache.exceptions.ReplicationGroupNotFoundFault):
                self.cache.describe_replication_groups(ReplicationGroupId="rg")
            self.assertEqual(self.cache.describe_cache_clusters()["CacheClusters"], [])


class ElasticacheDeleteSubnetGroup(PatchCase):
    def setUp(self):
        super().setUp()
        self.cache = boto3.client("elasticache", region_name=REGION)
        self.cache.create_cache_subnet_group(CacheSubnetGroupName="subnets", CacheSubnetGroupDescription="d", SubnetIds=[self.subnet()])

    def test_unpatched_moto_does_not_implement_it(self):
        with self.assertRaises(Exception) as raised:
            self.cache.delete_cache_subnet_group(CacheSubnetGroupName="subnets")
        self.assertIn("not been implemented", str(raised.exception))

    def test_patched_deletes_it(self):
        with self.patched("elasticache-delete-subnet-group"):
            self.cache.delete_cache_subnet_group(CacheSubnetGroupName="subnets")
            with self.assertRaises(self.cache.exceptions.CacheSubnetGroupNotFoundFault):
                self.cache.describe_cache_subnet_groups(CacheSubnetGroupName="subnets")


class BackupSelections(PatchCase):
    ROLE = "arn:aws:iam::123456789012:role/backup"

    def setUp(self):
        super().setUp()
        self.backup = boto3.client("backup", region_name=REGION)
        self.plan = self.backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [{"RuleName": "r", "TargetBackupVaultName": "v"}]})["BackupPlanId"]
        self.selection = {"SelectionName": "by-tag", "IamRoleArn": self.ROLE, "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "yes"}]}

    def test_unpatched_moto_does_not_implement_selections(self):
        with self.assertRaises(Exception) as raised:
            self.backup.create_backup_selection(BackupPlanId=self.plan, BackupSelection=self.selection)
        self.assertIn("not been implemented", str(raised.exception))

    def test_patched_creates_reads_lists_and_deletes(self):
        with self.patched("backup-selections"):
            created = self.backup.create_backup_selection(BackupPlanId=self.plan, BackupSelection=self.selection)
            self.assertEqual(created["BackupPlanId"], self.plan)
            read = self.backup.get_backup_selection(BackupPlanId=self.plan, SelectionId=created["SelectionId"])["BackupSelection"]
            self.assertEqual((read["SelectionName"], read["IamRoleArn"], read["ListOfTags"], read["Resources"]), ("by-tag", self.ROLE, self.selection["ListOfTags"], []))
            self.assertEqual(read["Conditions"], {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []})
            listed = self.backup.list_backup_selections(BackupPlanId=self.plan)["BackupSelectionsList"]
            self.assertEqual([s["SelectionId"] for s in listed], [created["SelectionId"]])
            self.backup.delete_backup_selection(BackupPlanId=self.plan, SelectionId=created["SelectionId"])
            with self.assertRaises(self.backup.exceptions.ResourceNotFoundException):
                self.backup.get_backup_selection(BackupPlanId=self.plan, SelectionId=created["SelectionId"])


class BackupListTagsPath(PatchCase):
    """The provider's SDK asks GET /tags/{arn} without boto3's trailing slash: strip it from boto3's request."""

    def tags_without_trailing_slash(self) -> dict:
        backup = boto3.client("backup", region_name=REGION)
        arn = backup.create_backup_vault(BackupVaultName="vault", BackupVaultTags={"Project": "p"})["BackupVaultArn"]

        def strip(request: Any, **_: Any) -> None:
            request.url = request.url.rstrip("/")

        backup.meta.events.register("before-sign.backup.ListTags", strip)
        return backup.list_tags(ResourceArn=arn)["Tags"]

    def test_unpatched_moto_lists_no_tags(self):
        self.assertEqual(self.tags_without_trailing_slash(), {})

    def test_patched_lists_the_resource_tags(self):
        with self.patched("backup-list-tags-path"):
            self.assertEqual(self.tags_without_trailing_slash(), {"Project": "p"})


class CloudfrontOriginGroupTarget(PatchCase):
    @staticmethod
    def config() -> dict:
        def origin(name: str) -> dict:
            return {"Id": name, "DomainName": f"{name}.example.com", "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}

        return {
            "CallerReference": "rehearsal", "Comment": "origin failover", "Enabled": True,
            "Origins": {"Quantity": 2, "Items": [origin("primary"), origin("dr")]},
            "OriginGroups": {"Quantity": 1, "Items": [{"Id": "failover", "FailoverCriteria": {"StatusCodes": {"Quantity": 2, "Items": [500, 502]}}, "Members": {"Quantity": 2, "Items": [{"OriginId": "primary"}, {"OriginId": "dr"}]}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "failover", "ViewerProtocolPolicy": "redirect-to-https", "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        }

    def test_unpatched_moto_refuses_an_origin_group_target(self):
        with self.assertRaises(Exception) as raised:
            boto3.client("cloudfront").create_distribution(DistributionConfig=self.config())
        self.assertIn("NoSuchOrigin", str(raised.exception))

    def test_patched_accepts_it_and_keeps_it(self):
        with self.patched("cloudfront-origin-group-target"):
            cloudfront = boto3.client("cloudfront")
            created = cloudfront.create_distribution(DistributionConfig=self.config())["Distribution"]
            config = cloudfront.get_distribution(Id=created["Id"])["Distribution"]["DistributionConfig"]
            self.assertEqual(config["DefaultCacheBehavior"]["TargetOriginId"], "failover")
            self.assertEqual(config["OriginGroups"]["Items"][0]["Id"], "failover")
            missing = {**self.config(), "CallerReference": "other", "DefaultCacheBehavior": {**self.config()["DefaultCacheBehavior"], "TargetOriginId": "nowhere"}}
            with self.assertRaises(Exception) as raised:
                cloudfront.create_distribution(DistributionConfig=missing)
            self.assertIn("NoSuchOrigin", str(raised.exception))


class RdsCrossRegionReplica(PatchCase):
    def replica(self) -> dict:
        west = boto3.client("rds", region_name="us-west-2")
        ec2 = boto3.client("ec2", region_name="us-west-2")
        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.1.{i}.0/24", AvailabilityZone=f"us-west-2{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
        west.create_db_subnet_group(DBSubnetGroupName="dr-subnets", DBSubnetGroupDescription="d", SubnetIds=subnets)
        source = self.rds.create_db_instance(
            DBInstanceIdentifier="db", Engine="mysql", DBInstanceClass="db.t3.micro", MasterUsername="admin", MasterUserPassword="password-password", AllocatedStorage=20
        )["DBInstance"]["DBInstanceArn"]
        return west.create_db_instance_read_replica(DBInstanceIdentifier="db-dr", SourceDBInstanceIdentifier=source, DBSubnetGroupName="dr-subnets")["DBInstance"]

    def test_unpatched_moto_looks_the_subnet_group_up_in_the_source_region(self):
        with self.assertRaises(Exception) as raised:
            self.replica()
        self.assertIn("DBSubnetGroupNotFoundFault", str(raised.exception))

    def test_patched_creates_the_replica_in_its_own_region(self):
        with self.patched("rds-cross-region-replica"):
            replica = self.replica()
            self.assertEqual((replica["DBInstanceArn"].split(":")[3], replica["DBSubnetGroup"]["DBSubnetGroupName"]), ("us-west-2", "dr-subnets"))
            self.assertEqual(replica["ReadReplicaSourceDBInstanceIdentifier"], "arn:aws:rds:us-east-1:123456789012:db:db")


def _acm_distribution(reference: str) -> dict:
    """A distribution as the provider creates ours: a cache policy instead of ForwardedValues, an ACM certificate."""
    cloudfront = boto3.client("cloudfront")
    config = {
        "CallerReference": reference, "Comment": "c", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "alb", "DomainName": "alb.example.com", "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "redirect-to-https", "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        "ViewerCertificate": {"ACMCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc", "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"},
    }
    created = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]
    return cloudfront.get_distribution(Id=created["Id"])["Distribution"]["DistributionConfig"]


class CloudfrontCachePolicyBehaviour(PatchCase):
    def test_unpatched_moto_invents_forwarded_values(self):
        self.assertEqual(_acm_distribution("a")["DefaultCacheBehavior"]["ForwardedValues"], {"QueryString": False, "Cookies": {"Forward": "none"}})

    def test_patched_has_none(self):
        with self.patched("cloudfront-cache-policy-behaviour"):
            behaviour = _acm_distribution("b")["DefaultCacheBehavior"]
            self.assertNotIn("ForwardedValues", behaviour)
            self.assertEqual(behaviour["CachePolicyId"], "658327ea-f89d-4fab-a63d-7e88639e58f6")


class CloudfrontViewerCertificateAcm(PatchCase):
    def test_unpatched_moto_reports_the_default_certificate(self):
        self.assertTrue(_acm_distribution("a")["ViewerCertificate"]["CloudFrontDefaultCertificate"])

    def test_patched_reports_the_acm_certificate_only(self):
        with self.patched("cloudfront-viewer-certificate-acm"):
            certificate = _acm_distribution("b")["ViewerCertificate"]
            self.assertEqual((certificate["CloudFrontDefaultCertificate"], certificate["CertificateSource"]), (False, "acm"))


class Ec2PrefixListRuleDescription(PatchCase):
    def rule(self) -> dict:
        vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        group = self.ec2.create_security_group(GroupName="alb", Description="d", VpcId=vpc)["GroupId"]
        prefix_list = self.ec2.create_managed_prefix_list(PrefixListName="cf", MaxEntries=2, AddressFamily="IPv4")["PrefixList"]["PrefixListId"]
        self.ec2.authorize_security_group_ingress(
            GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": prefix_list, "Description": "HTTPS from CloudFront"}]}]
        )
        rules = self.ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
        return next(r for r in rules if not r["IsEgress"])

    def test_unpatched_moto_drops_the_description(self):
        self.assertNotIn("Description", self.rule())

    def test_patched_keeps_it(self):
        with self.patched("ec2-prefix-list-rule-description"):
            self.assertEqual(self.rule()["Description"], "HTTPS from CloudFront")


class _Fleet(PatchCase):
    def group(self, warmup: int = 300) -> Any:
        autoscaling = boto3.client("autoscaling", region_name=REGION)
        template = self.ec2.create_launch_template(LaunchTemplateName="fleet-template", LaunchTemplateData={"ImageId": self.image(), "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName="fleet", MinSize=1, MaxSize=2, DesiredCapacity=1, VPCZoneIdentifier=self.subnet(),
            LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"}, DefaultInstanceWarmup=warmup,
        )
        return autoscaling


class AutoscalingPolicyEnabled(_Fleet):
    def policy(self) -> dict:
        autoscaling = self.group()
        autoscaling.put_scaling_policy(
            AutoScalingGroupName="fleet", PolicyName="cpu", PolicyType="TargetTrackingScaling",
            TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50},
        )
        return autoscaling.describe_policies(AutoScalingGroupName="fleet")["ScalingPolicies"][0]

    def test_unpatched_moto_returns_no_enabled_and_a_predictive_configuration(self):
        policy = self.policy()
        self.assertNotIn("Enabled", policy)
        self.assertIn("PredictiveScalingConfiguration", policy)

    def test_patched_policy_is_enabled_without_predictive_configuration(self):
        with self.patched("autoscaling-policy-enabled"):
            policy = self.policy()
            self.assertTrue(policy["Enabled"])
            self.assertNotIn("PredictiveScalingConfiguration", policy)


class AutoscalingDefaultInstanceWarmup(_Fleet):
    def warmup(self) -> Any:
        autoscaling = self.group(warmup=300)
        return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["fleet"])["AutoScalingGroups"][0].get("DefaultInstanceWarmup")

    def test_unpatched_moto_forgets_it(self):
        self.assertIsNone(self.warmup())

    def test_patched_keeps_it(self):
        with self.patched("autoscaling-default-instance-warmup"):
            self.assertEqual(self.warmup(), 300)


class Route53PrivateZoneFromVpc(PatchCase):
    def zone(self) -> dict:
        route53 = boto3.client("route53")
        vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        zone = route53.create_hosted_zone(Name="db.internal", CallerReference="rehearsal", VPC={"VPCRegion": REGION, "VPCId": vpc})["HostedZone"]["Id"]
        return {**route53.get_hosted_zone(Id=zone), "vpc": vpc}

    def test_unpatched_moto_makes_a_public_zone_without_the_vpc(self):
        zone = self.zone()
        self.assertFalse(zone["HostedZone"]["Config"]["PrivateZone"])
        self.assertNotIn("VPCs", zone)

    def test_patched_makes_a_private_zone_of_the_vpc(self):
        with self.patched("route53-private-zone-from-vpc"):
            zone = self.zone()
            self.assertTrue(zone["HostedZone"]["Config"]["PrivateZone"])
            self.assertEqual(zone["VPCs"], [{"VPCRegion": REGION, "VPCId": zone["vpc"]}])


class Ec2LaunchTemplateOwnTags(PatchCase):
    def specs(self) -> list:
        self.ec2.create_launch_template(
            LaunchTemplateName="frontend",
            LaunchTemplateData={"ImageId": self.image(), "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": "frontend"}]}]},
            TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Name", "Value": "frontend"}]}],
        )
        version = self.ec2.describe_launch_template_versions(LaunchTemplateName="frontend")["LaunchTemplateVersions"][0]
        return sorted(s["ResourceType"] for s in version["LaunchTemplateData"]["TagSpecifications"])

    def test_unpatched_moto_copies_the_template_tags_into_its_data(self):
        self.assertEqual(self.specs(), ["instance", "launch-template"])

    def test_patched_keeps_only_the_launch_tags(self):
        with self.patched("ec2-launch-template-own-tags"):
            self.assertEqual(self.specs(), ["instance"])
            tags = self.ec2.describe_launch_templates(LaunchTemplateNames=["frontend"])["LaunchTemplates"][0]["Tags"]
            self.assertEqual(tags, [{"Key": "Name", "Value": "frontend"}])


class EcrRepositoryCreationTemplates(PatchCase):
    def setUp(self):
        super().setUp()
        self.ecr = boto3.client("ecr", region_name=REGION)

    def create(self) -> dict:
        return self.ecr.create_repository_creation_template(
            prefix="webplat",
            appliedFor=["REPLICATION"],
            encryptionConfiguration={"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/k"},
            imageTagMutability="IMMUTABLE",
            lifecyclePolicy='{"rules":[]}',
            customRoleArn="arn:aws:iam::123456789012:role/creation",
            resourceTags=[{"Key": "Name", "Value": "app"}],
        )

    def test_unpatched_moto_does_not_implement_creation_templates(self):
        with self.assertRaises(Exception) as raised:
            self.create()
        self.assertIn("create_repository_creation_template action has not been implemented", str(raised.exception))

    def test_patched_creates_describes_updates_and_deletes_a_template(self):
        with self.patched("ecr-repository-creation-templates"):
            created = self.create()
            self.assertEqual(created["registryId"], "123456789012")
            described = self.ecr.describe_repository_creation_templates(prefixes=["webplat"])["repositoryCreationTemplates"]
            self.assertEqual(len(described), 1)
            template = described[0]
            self.assertEqual((template["prefix"], template["appliedFor"], template["imageTagMutability"]), ("webplat", ["REPLICATION"], "IMMUTABLE"))
            self.assertEqual(template["encryptionConfiguration"]["kmsKey"], "arn:aws:kms:us-east-1:123456789012:key/k")
            self.assertEqual((template["customRoleArn"], template["resourceTags"]), ("arn:aws:iam::123456789012:role/creation", [{"Key": "Name", "Value": "app"}]))
            self.assertEqual(self.ecr.describe_repository_creation_templates(prefixes=["other"])["repositoryCreationTemplates"], [])
            with self.assertRaises(self.ecr.exceptions.TemplateAlreadyExistsException):
                self.create()
            self.ecr.update_repository_creation_template(prefix="webplat", description="replicas")
            self.assertEqual(self.ecr.describe_repository_creation_templates()["repositoryCreationTemplates"][0]["description"], "replicas")
            self.assertEqual(self.ecr.delete_repository_creation_template(prefix="webplat")["repositoryCreationTemplate"]["prefix"], "webplat")
            self.assertEqual(self.ecr.describe_repository_creation_templates()["repositoryCreationTemplates"], [])
            with self.assertRaises(self.ecr.exceptions.TemplateNotFoundException):
                self.ecr.delete_repository_creation_template(prefix="webplat")

    def test_patched_defaults_encryption_and_mutability(self):
        with self.patched("ecr-repository-creation-templates"):
            self.ecr.create_repository_creation_template(prefix="plain", appliedFor=["PULL_THROUGH_CACHE"])
            template = self.ecr.describe_repository_creation_templates()["repositoryCreationTemplates"][0]
            self.assertEqual((template["encryptionConfiguration"], template["imageTagMutability"]), ({"encryptionType": "AES256"}, "MUTABLE"))


class RdsPromoteReadReplica(PatchCase):
    def promote(self, west: bool = False) -> tuple[dict, dict]:
        """A source in us-east-1 and its replica (us-west-2 with west), promoted; returns both as described afterwards."""
        source = self.rds.create_db_instance(
            DBInstanceIdentifier="db", Engine="mysql", DBInstanceClass="db.t3.micro", MasterUsername="admin", MasterUserPassword="password-password", AllocatedStorage=20
        )["DBInstance"]["DBInstanceArn"]
        replica_client = boto3.client("rds", region_name="us-west-2") if west else self.rds
        replica_client.create_db_instance_read_replica(DBInstanceIdentifier="db-dr", SourceDBInstanceIdentifier=source if west else "db")
        replica_client.promote_read_replica(DBInstanceIdentifier="db-dr", BackupRetentionPeriod=7)
        promoted = replica_client.describe_db_instances(DBInstanceIdentifier="db-dr")["DBInstances"][0]
        return promoted, self.rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]

    def test_unpatched_moto_keeps_the_promoted_database_a_replica_of_its_source(self):
        promoted, source = self.promote()
        self.assertEqual(promoted["ReadReplicaSourceDBInstanceIdentifier"], "db")
        self.assertEqual(source["ReadReplicaDBInstanceIdentifiers"], ["db-dr"])

    def test_patched_promoted_database_is_standalone(self):
        with self.patched("rds-promote-read-replica"):
            promoted, source = self.promote()
            self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", promoted)
            self.assertEqual(source["ReadReplicaDBInstanceIdentifiers"], [])
            self.assertEqual(promoted["BackupRetentionPeriod"], 7)

    def test_patched_cross_region_replica_is_standalone_and_deletable(self):
        with self.patched("rds-cross-region-replica"), self.patched("rds-promote-read-replica"):
            promoted, source = self.promote(west=True)
            self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", promoted)
            self.assertEqual(source["ReadReplicaDBInstanceIdentifiers"], [])
            boto3.client("rds", region_name="us-west-2").delete_db_instance(DBInstanceIdentifier="db-dr", SkipFinalSnapshot=True)
            self.rds.delete_db_instance(DBInstanceIdentifier="db", SkipFinalSnapshot=True)


class SecretsmanagerReplicaKmsKey(PatchCase):
    KEY = "arn:aws:kms:us-west-2:123456789012:key/dr-key"

    def replicate(self) -> tuple[dict, dict]:
        east = boto3.client("secretsmanager", region_name=REGION)
        arn = east.create_secret(Name="db-master", SecretString="s", AddReplicaRegions=[{"Region": "us-west-2", "KmsKeyId": self.KEY}])["ARN"]
        replica = boto3.client("secretsmanager", region_name="us-west-2").describe_secret(SecretId=arn.replace(REGION, "us-west-2"))
        return east.describe_secret(SecretId=arn)["ReplicationStatus"][0], replica

    def test_unpatched_moto_reports_the_aws_managed_key(self):
        status, _ = self.replicate()
        self.assertEqual((status["Region"], status["KmsKeyId"]), ("us-west-2", "alias/aws/secretsmanager"))

    def test_patched_reports_the_replica_key(self):
        with self.patched("secretsmanager-replica-kms-key"):
            status, replica = self.replicate()
            self.assertEqual((status["Region"], status["KmsKeyId"], status["Status"]), ("us-west-2", self.KEY, "InSync"))
            self.assertEqual(replica["KmsKeyId"], self.KEY)

    def test_patched_keeps_the_managed_key_when_none_is_given(self):
        with self.patched("secretsmanager-replica-kms-key"):
            east = boto3.client("secretsmanager", region_name=REGION)
            east.create_secret(Name="plain", SecretString="s", AddReplicaRegions=[{"Region": "us-west-2"}])
            self.assertEqual(east.describe_secret(SecretId="plain")["ReplicationStatus"][0]["KmsKeyId"], "alias/aws/secretsmanager")


class RdsDeleteCrossRegionReplica(PatchCase):
    def delete_replica(self) -> None:
        source = self.rds.create_db_instance(
            DBInstanceIdentifier="db", Engine="mysql", DBInstanceClass="db.t3.micro", MasterUsername="admin", MasterUserPassword="password-password", AllocatedStorage=20
        )["DBInstance"]["DBInstanceArn"]
        west = boto3.client("rds", region_name="us-west-2")
        west.create_db_instance_read_replica(DBInstanceIdentifier="db-dr", SourceDBInstanceIdentifier=source)
        west.delete_db_instance(DBInstanceIdentifier="db-dr", SkipFinalSnapshot=True)

    def test_unpatched_moto_fails_the_delete_and_keeps_the_replica_listed(self):
        with self.patched("rds-cross-region-replica"):
            with self.assertRaises(ValueError):
                self.delete_replica()
            self.assertEqual(self.rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]["ReadReplicaDBInstanceIdentifiers"], ["arn:aws:rds:us-west-2:123456789012:db:db-dr"])

    def test_patched_deletes_the_replica_and_unlists_it(self):
        with self.patched("rds-cross-region-replica"), self.patched("rds-delete-cross-region-replica"):
            self.delete_replica()
            self.assertEqual(self.rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]["ReadReplicaDBInstanceIdentifiers"], [])
            self.assertEqual(boto3.client("rds", region_name="us-west-2").describe_db_instances()["DBInstances"], [])


class Layer(unittest.TestCase):
    def test_every_patch_is_documented_and_tested(self):
        tested = {c.__name__ for c in PatchCase.__subclasses__()} | {g.__name__ for c in PatchCase.__subclasses__() for g in c.__subclasses__()}
        for patch in moto_patches.all_patches():
            self.assertTrue(patch.moto_behaviour and patch.aws_behaviour and patch.reference.startswith("https://docs.aws.amazon.com/"), patch.name)
            camel = "".join(part.capitalize() for part in patch.name.split("-"))
            self.assertIn(camel, tested, f"patch {patch.name} has no test class {camel}")

    def test_the_readme_lists_every_patch(self):
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md"), encoding="utf-8") as f:
            readme = f.read()
        for patch in moto_patches.all_patches():
            self.assertIn(f"| `{patch.name}` | {patch.moto_behaviour} |", readme, f"README's Apply rehearsal table misses or has a stale row for {patch.name}")

    def test_apply_and_revert_restore_moto(self):
        from moto.ec2.responses.monitoring import Monitoring

        original = Monitoring.__dict__["monitor_instances"]
        patch = patch_named("ec2-monitor-instances")
        patch.apply()
        self.assertIsNot(Monitoring.__dict__["monitor_instances"], original)
        patch.revert()
        self.assertIs(Monitoring.__dict__["monitor_instances"], original)


if __name__ == "__main__":
    unittest.main()
