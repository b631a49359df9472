// https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DomainHostRecordConfig extends cdktf.TerraformMetaArguments {
  /**
  * Value of the record: an IP address for A/AAAA, a host name for CNAME/MX/NS, text for TXT, a URL for URL/URL301/FRAME.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#address DomainHostRecord#address}
  */
  readonly address: string;
  /**
  * Apex domain registered on the account (not a subdomain). Changing it forces a new resource.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#domain DomainHostRecord#domain}
  */
  readonly domain: string;
  /**
  * Host the record answers for, or @ for the apex. Changing it forces a new resource.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#hostname DomainHostRecord#hostname}
  */
  readonly hostname: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#id DomainHostRecord#id}
  *
  * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
  * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
  */
  readonly id?: string;
  /**
  * MX preference (MX records only). Default 10.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#mx_pref DomainHostRecord#mx_pref}
  */
  readonly mxPref?: number;
  /**
  * Time to live in seconds, 60 to 60000. Default 1800.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#ttl DomainHostRecord#ttl}
  */
  readonly ttl?: number;
  /**
  * Record type: A, AAAA, ALIAS, CAA, CNAME, MX, MXE, NS, TXT, URL, URL301, FRAME. Changing it forces a new resource.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#type DomainHostRecord#type}
  */
  readonly type: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record namecheap_domain_host_record}
*/
export class DomainHostRecord extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "namecheap_domain_host_record";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DomainHostRecord resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DomainHostRecord to import
  * @param importFromId The id of the existing DomainHostRecord that should be imported. Refer to the {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DomainHostRecord to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "namecheap_domain_host_record", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/namecheap/namecheap/2.9.0/docs/resources/domain_host_record namecheap_domain_host_record} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DomainHostRecordConfig
  */
  public constructor(scope: Construct, id: string, config: DomainHostRecordConfig) {
    super(scope, id, {
      terraformResourceType: 'namecheap_domain_host_record',
      terraformGeneratorMetadata: {
        providerName: 'namecheap',
        providerVersion: '2.9.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._address = config.address;
    this._domain = config.domain;
    this._hostname = config.hostname;
    this._id = config.id;
    this._mxPref = config.mxPref;
    this._ttl = config.ttl;
    this._type = config.type;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // address - computed: false, optional: false, required: true
  private _address?: string; 
  public get address() {
    return this.getStringAttribute('address');
  }
  public set address(value: string) {
    this._address = value;
  }
  // Temporarily expose input value. Use with caution.
  public get addressInput() {
    return this._address;
  }

  // domain - computed: false, optional: false, required: true
  private _domain?: string; 
  public get domain() {
    return this.getStringAttribute('domain');
  }
  public set domain(value: string) {
    this._domain = value;
  }
  // Temporarily expose input value. Use with caution.
  public get domainInput() {
    return this._domain;
  }

  // hostname - computed: false, optional: false, required: true
  private _hostname?: string; 
  public get hostname() {
    return this.getStringAttribute('hostname');
  }
  public set hostname(value: string) {
    this._hostname = value;
  }
  // Temporarily expose input value. Use with caution.
  public get hostnameInput() {
    return this._hostname;
  }

  // id - computed: true, optional: true, required: false
  private _id?: string; 
  public get id() {
    return this.getStringAttribute('id');
  }
  public set id(value: string) {
    this._id = value;
  }
  public resetId() {
    this._id = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get idInput() {
    return this._id;
  }

  // mx_pref - computed: false, optional: true, required: false
  private _mxPref?: number; 
  public get mxPref() {
    return this.getNumberAttribute('mx_pref');
  }
  public set mxPref(value: number) {
    this._mxPref = value;
  }
  public resetMxPref() {
    this._mxPref = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get mxPrefInput() {
    return this._mxPref;
  }

  // ttl - computed: false, optional: true, required: false
  private _ttl?: number; 
  public get ttl() {
    return this.getNumberAttribute('ttl');
  }
  public set ttl(value: number) {
    this._ttl = value;
  }
  public resetTtl() {
    this._ttl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get ttlInput() {
    return this._ttl;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      address: cdktf.stringToTerraform(this._address),
      domain: cdktf.stringToTerraform(this._domain),
      hostname: cdktf.stringToTerraform(this._hostname),
      id: cdktf.stringToTerraform(this._id),
      mx_pref: cdktf.numberToTerraform(this._mxPref),
      ttl: cdktf.numberToTerraform(this._ttl),
      type: cdktf.stringToTerraform(this._type),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      address: {
        value: cdktf.stringToHclTerraform(this._address),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      domain: {
        value: cdktf.stringToHclTerraform(this._domain),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      hostname: {
        value: cdktf.stringToHclTerraform(this._hostname),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      id: {
        value: cdktf.stringToHclTerraform(this._id),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      mx_pref: {
        value: cdktf.numberToHclTerraform(this._mxPref),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      ttl: {
        value: cdktf.numberToHclTerraform(this._ttl),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      type: {
        value: cdktf.stringToHclTerraform(this._type),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
