/*
 * catalog_seed.c — the demo catalogue (see catalog_seed.h).
 *
 * The sellers are the 15 providers of the UGAP "Portail Nuage Public"
 * market (seeds/003: 3DS Outscale, AWS, Cegedim Cloud, Clever Cloud, Cloud
 * Temple, Google Cloud, Microsoft Azure, Numspot, Oracle, Orange Business,
 * OVHcloud, Platform.sh, S3NS, Scaleway, Scalingo). Products, regions and
 * certifications follow what those providers advertise; prices are
 * illustrative, in euro cents excluding VAT. Products go through the
 * product and plan stores, so codes and the plan summary (pricing models,
 * cheapest monthly price) are made exactly as for a seller's own.
 */
#include "server/app/catalog_seed.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/store/catalog/catalog_seed_store.h"
#include "server/store/catalog/plan_store.h"
#include "server/store/catalog/product_store.h"
#include "server/store/core/migrate.h"
#include "server/store/core/tx.h"

#define MAX_ITEMS 6
#define MAX_PLANS 3
#define MAX_PRODUCTS 4

typedef struct seed_plan {
  const char *name;
  const char *model; /* hourly, free, byol, subscription, quotation */
  int64_t hourly_cents;
  int64_t monthly_cents;
  int commitment_months;
  int64_t upfront_cents; /* 0: none */
} seed_plan;

typedef struct seed_product {
  const char *name;
  const char *kind;
  const char *category;
  const char *description;
  const char *regions[MAX_ITEMS];
  const char *certifications[MAX_ITEMS];
  const char *capabilities[MAX_ITEMS];
  seed_plan plans[MAX_PLANS];
} seed_product;

typedef struct seed_provider {
  const char *slug;
  const char *name;
  const char *description;
  const char *website;
  bool extra_eu_law; /* the provider is subject to extra-European law */
  seed_product products[MAX_PRODUCTS];
} seed_provider;

#define HOURLY(n, c) \
  { n, "hourly", c, 0, 0, 0 }
#define MONTHLY(n, c, m, up) \
  { n, "subscription", 0, c, m, up }
#define FREE(n) \
  { n, "free", 0, 0, 0, 0 }
#define BYOL(n) \
  { n, "byol", 0, 0, 0, 0 }
#define QUOTE(n) \
  { n, "quotation", 0, 0, 0, 0 }

static const seed_provider providers[] = {
    {"outscale",
     "3DS OUTSCALE",
     "Cloud souverain de Dassault Systèmes, qualifié SecNumCloud.",
     "https://fr.outscale.com",
     false,
     {{"Outscale Cloud Secteur Public SecNumCloud",
       "managed_service",
       "Infrastructure",
       "Machines virtuelles, stockage bloc et objet dans la région cloudgouv qualifiée SecNumCloud "
       "par l'ANSSI.",
       {"cloudgouv-eu-west-1"},
       {"secnumcloud", "hds", "iso_27001", "iso_27017", "iso_27018"},
       {"standard_vms", "optimized_vms", "bare_metal", "monitoring"},
       {HOURLY("tinav5.c2r4p2 (2 vCPU, 4 Go)", 9),
        MONTHLY("Engagement 36 mois, 4 vCPU 16 Go", 14900, 36, 0)}},
      {"Outscale Cloud Public",
       "managed_service",
       "Infrastructure",
       "Cloud public IaaS compatible avec les API AWS EC2 et S3, hébergé en France.",
       {"eu-west-2"},
       {"iso_27001", "iso_27017", "iso_27018", "hds"},
       {"standard_vms", "optimized_vms", "serverless", "monitoring"},
       {HOURLY("tinav5.c1r2p2 (1 vCPU, 2 Go)", 4), MONTHLY("Engagement 12 mois", 6900, 12, 0)}},
      {"Marketplace Outscale — image GitLab CE",
       "machine_image",
       "Outils de développement",
       "Image machine (OMI) GitLab Community Edition prête à lancer.",
       {"eu-west-2", "cloudgouv-eu-west-1"},
       {"iso_27001"},
       {"marketplace"},
       {FREE("Open source")}}}},
    {"aws",
     "AWS",
     "Amazon Web Services, cloud public mondial, région Paris.",
     "https://aws.amazon.com/fr/",
     true,
     {{"Amazon EC2",
       "managed_service",
       "Infrastructure",
       "Capacité de calcul redimensionnable dans la région Europe (Paris).",
       {"eu-west-3"},
       {"iso_27001", "iso_27017", "iso_27018", "pci_dss", "hds", "isae_3402"},
       {"standard_vms", "optimized_vms", "bare_metal", "monitoring"},
       {HOURLY("t3.medium à la demande", 5),
        MONTHLY("Instance réservée 36 mois", 2800, 36, 30000)}},
      {"AWS Lambda",
       "managed_service",
       "Calcul sans serveur",
       "Exécution de code sans serveur, facturée à l'usage.",
       {"eu-west-3"},
       {"iso_27001", "pci_dss", "isae_3402"},
       {"serverless", "log_analysis"},
       {HOURLY("Usage", 1)}}}},
    {"cegedim",
     "CEGEDIM CLOUD",
     "Hébergeur de données de santé et cloud privé de Cegedim.",
     "https://www.cegedim-cloud.com",
     false,
     {{"Cegedim Cloud HDS",
       "managed_service",
       "Santé",
       "Hébergement certifié HDS des applications de santé, infogérance incluse.",
       {"fr-boulogne", "fr-lyon"},
       {"hds", "iso_27001"},
       {"standard_vms", "monitoring", "cmdb"},
       {MONTHLY("Socle HDS 12 mois", 45000, 12, 100000), QUOTE("Sur mesure")}},
      {"Sauvegarde managée",
       "managed_service",
       "Sécurité",
       "Sauvegarde et restauration des données, copies hors site chiffrées.",
       {"fr-boulogne"},
       {"hds", "iso_27001"},
       {"monitoring"},
       {MONTHLY("1 To, 12 mois", 9000, 12, 0)}}}},
    {"clever-cloud",
     "Clever Cloud",
     "Plateforme d'hébergement d'applications : simple pour les devs, efficace pour les ops.",
     "https://www.clever-cloud.com",
     false,
     {{"Clever Cloud PaaS",
       "managed_service",
       "Plateforme applicative",
       "Déploiement automatique d'applications Java, Node.js, Python, PHP, Go avec mise à "
       "l'échelle.",
       {"fr-par", "fr-rbx"},
       {"iso_27001", "hds"},
       {"serverless", "monitoring", "log_analysis"},
       {HOURLY("Instance S", 3), MONTHLY("Engagement 12 mois", 4500, 12, 0)}},
      {"PostgreSQL managé",
       "managed_service",
       "Bases de données",
       "Bases PostgreSQL managées avec sauvegardes quotidiennes.",
       {"fr-par"},
       {"iso_27001"},
       {"monitoring"},
       {MONTHLY("XS, 12 mois", 1900, 12, 0)}}}},
    {"cloud-temple",
     "CLOUD TEMPLE",
     "Entreprise de services numériques spécialisée dans l'hébergement et l'infogérance, cloud "
     "qualifié SecNumCloud.",
     "https://www.cloud-temple.com",
     false,
     {{"Cloud Temple IaaS SecNumCloud",
       "managed_service",
       "Infrastructure",
       "Infrastructure virtualisée qualifiée SecNumCloud, hébergée en France.",
       {"fr-paris-th3", "fr-paris-ch1"},
       {"secnumcloud", "hds", "iso_27001", "iso_50001"},
       {"standard_vms", "bare_metal", "monitoring"},
       {MONTHLY("Ressource 4 vCPU 16 Go, 36 mois", 21000, 36, 0), QUOTE("Projet dédié")}},
      {"Infogérance et migration",
       "professional_service",
       "Services",
       "Accompagnement à la migration et infogérance 24/7 par des équipes habilitées.",
       {"fr-paris-th3"},
       {"secnumcloud", "iso_27001"},
       {"professional_services", "training"},
       {QUOTE("Sur devis")}}}},
    {"google-cloud",
     "Google Cloud",
     "Concevez, développez et transformez-vous.",
     "https://cloud.google.com/?hl=fr",
     true,
     {{"Compute Engine",
       "managed_service",
       "Infrastructure",
       "Machines virtuelles dans la région europe-west9 (Paris).",
       {"europe-west9"},
       {"iso_27001", "iso_27017", "iso_27018", "pci_dss", "hds"},
       {"standard_vms", "optimized_vms", "monitoring"},
       {HOURLY("e2-standard-2", 7), MONTHLY("Remise engagement 36 mois", 3100, 36, 0)}},
      {"BigQuery",
       "managed_service",
       "Données et analyse",
       "Entrepôt de données sans serveur pour l'analyse de données massives.",
       {"europe-west9"},
       {"iso_27001", "iso_27017"},
       {"serverless", "log_analysis"},
       {HOURLY("Calcul à la demande", 6)}}}},
    {"azure",
     "Microsoft Azure",
     "Azure. Innovation sans limites.",
     "https://azure.microsoft.com/fr-fr/",
     true,
     {{"Azure Virtual Machines",
       "managed_service",
       "Infrastructure",
       "Machines virtuelles Windows et Linux dans les régions France Centre et France Sud.",
       {"francecentral", "francesouth"},
       {"iso_27001", "iso_27017", "iso_27018", "hds", "pci_dss", "isae_3402"},
       {"standard_vms", "optimized_vms", "monitoring"},
       {HOURLY("B2s", 5), MONTHLY("Instance réservée 36 mois", 2400, 36, 0),
        BYOL("Azure Hybrid Benefit")}},
      {"Azure Virtual Desktop",
       "managed_service",
       "Poste de travail",
       "Bureaux et applications Windows virtualisés.",
       {"francecentral"},
       {"iso_27001", "hds"},
       {"vdi"},
       {MONTHLY("Par utilisateur, 12 mois", 1500, 12, 0)}}}},
    {"numspot",
     "Numspot",
     "L'offre de référence de cloud souverain et de confiance.",
     "https://numspot.com",
     false,
     {{"Numspot IaaS souverain",
       "managed_service",
       "Infrastructure",
       "Cloud de confiance opéré en France, conçu pour la qualification SecNumCloud.",
       {"cloudgouv-eu-west-1"},
       {"secnumcloud", "hds", "iso_27001"},
       {"standard_vms", "monitoring", "resource_optimization"},
       {HOURLY("2 vCPU 8 Go", 11), MONTHLY("Engagement 24 mois", 7500, 24, 0)}},
      {"Kubernetes managé",
       "managed_service",
       "Conteneurs",
       "Clusters Kubernetes managés sur infrastructure de confiance.",
       {"cloudgouv-eu-west-1"},
       {"secnumcloud", "iso_27001"},
       {"serverless", "monitoring"},
       {MONTHLY("Plan de contrôle, 12 mois", 9900, 12, 0)}}}},
    {"oracle",
     "ORACLE",
     "Oracle Cloud Infrastructure : bases de données et outils.",
     "https://www.oracle.com/fr/cloud/",
     true,
     {{"Oracle Autonomous Database",
       "managed_service",
       "Bases de données",
       "Base de données autonome, sauvegardes et correctifs automatiques.",
       {"eu-paris-1", "eu-marseille-1"},
       {"iso_27001", "iso_27017", "pci_dss", "isae_3402"},
       {"monitoring", "resource_optimization"},
       {HOURLY("ECPU", 34), BYOL("Licence existante")}},
      {"OCI Compute",
       "managed_service",
       "Infrastructure",
       "Machines virtuelles et serveurs bare metal.",
       {"eu-paris-1"},
       {"iso_27001", "iso_27017"},
       {"standard_vms", "bare_metal"},
       {HOURLY("VM.Standard.E4.Flex", 3)}}}},
    {"orange-business",
     "ORANGE BUSINESS SERVICES",
     "Flexible Engine et cloud de confiance d'Orange Business.",
     "https://www.orange-business.com/fr",
     false,
     {{"Flexible Engine",
       "managed_service",
       "Infrastructure",
       "Cloud public d'Orange Business : calcul, stockage, réseau, bases de données.",
       {"eu-west-0"},
       {"hds", "iso_27001", "iso_27017", "iso_27018", "iso_50001"},
       {"standard_vms", "optimized_vms", "bare_metal", "monitoring", "cmdb"},
       {HOURLY("s6.large.2", 6), MONTHLY("Engagement 12 mois", 5200, 12, 0)}},
      {"Prestations cloud Orange",
       "professional_service",
       "Services",
       "Conseil, architecture, migration et formation sur Flexible Engine.",
       {"eu-west-0"},
       {"iso_27001"},
       {"professional_services", "training"},
       {QUOTE("Sur devis")}}}},
    {"ovhcloud",
     "OVHcloud",
     "Cloud européen : serveurs dédiés, Private Cloud et Public Cloud.",
     "https://www.ovhcloud.com/fr/",
     false,
     {{"OVH Private Cloud SecNumCloud",
       "managed_service",
       "Infrastructure",
       "Cloud privé VMware (vSphere, vSAN, NSX) sur infrastructure dédiée, qualifié SecNumCloud.",
       {"eu-west-par", "eu-west-rbx"},
       {"secnumcloud", "hds", "iso_27001", "iso_27017", "iso_27018"},
       {"standard_vms", "bare_metal", "monitoring"},
       {MONTHLY("Hôte dédié, 12 mois", 120000, 12, 0),
        MONTHLY("Hôte dédié, 36 mois", 98000, 36, 0)}},
      {"OVH Public Cloud",
       "managed_service",
       "Infrastructure",
       "Instances, stockage objet et bloc à la ressource, hébergés par OVHcloud.",
       {"eu-west-gra", "eu-west-par"},
       {"iso_27001", "hds"},
       {"standard_vms", "optimized_vms", "serverless", "monitoring"},
       {HOURLY("b3-8", 6)}},
      {"Serveurs Dédiés",
       "managed_service",
       "Infrastructure",
       "Serveurs bare metal dédiés à un seul client.",
       {"eu-west-rbx", "eu-west-gra"},
       {"iso_27001", "hds"},
       {"bare_metal"},
       {MONTHLY("Advance-1, 12 mois", 9500, 12, 0)}}}},
    {"platform-sh",
     "PLATFORM SH",
     "Plateforme d'hébergement d'applications web.",
     "https://platform.sh/fr/",
     false,
     {{"Platform.sh Enterprise",
       "managed_service",
       "Plateforme applicative",
       "Environnements de développement et de production clonés à chaque branche.",
       {"fr-1"},
       {"iso_27001", "pci_dss"},
       {"serverless", "monitoring", "log_analysis"},
       {MONTHLY("Standard, 12 mois", 25000, 12, 0)}}}},
    {"s3ns",
     "S3NS",
     "Cloud de confiance de Thales opérant la technologie Google Cloud.",
     "https://www.s3ns.io",
     false,
     {{"S3NS Cloud de Confiance",
       "managed_service",
       "Infrastructure",
       "Services Google Cloud opérés par Thales en France, visant la qualification SecNumCloud.",
       {"europe-west9"},
       {"iso_27001", "iso_27017", "iso_27018", "hds"},
       {"standard_vms", "serverless", "monitoring", "log_analysis"},
       {HOURLY("Instance standard 2 vCPU", 9), QUOTE("Accompagnement")}}}},
    {"scaleway",
     "SCALEWAY",
     "Créez, entraînez, déployez et adaptez vos modèles d'IA et infrastructures sur l'écosystème "
     "cloud résilient et durable.",
     "https://www.scaleway.com/fr/",
     false,
     {{"Instances",
       "managed_service",
       "Infrastructure",
       "Machines virtuelles à la demande dans les zones de Paris.",
       {"fr-par-1", "fr-par-2"},
       {"iso_27001", "hds", "iso_50001"},
       {"standard_vms", "optimized_vms", "monitoring"},
       {HOURLY("PRO2-XS", 4), HOURLY("GPU L4", 75)}},
      {"Serverless Functions",
       "managed_service",
       "Calcul sans serveur",
       "Fonctions sans serveur facturées à l'exécution.",
       {"fr-par"},
       {"iso_27001"},
       {"serverless"},
       {FREE("Palier gratuit"), HOURLY("Au-delà du palier", 1)}},
      {"Elastic Metal",
       "managed_service",
       "Infrastructure",
       "Serveurs bare metal à la demande.",
       {"fr-par-2"},
       {"iso_27001", "hds"},
       {"bare_metal"},
       {HOURLY("EM-A115X", 13), MONTHLY("EM-A115X, 36 mois", 7900, 36, 0)}}}},
    {"scalingo",
     "SCALINGO",
     "PaaS français : hébergez vos applications sans gérer de serveurs.",
     "https://scalingo.com/fr",
     false,
     {{"Scalingo PaaS HDS",
       "managed_service",
       "Plateforme applicative",
       "Déploiement par git push, conteneurs et bases de données managées, certifié HDS.",
       {"osc-secnum-fr1", "osc-fr1"},
       {"hds", "iso_27001"},
       {"serverless", "monitoring", "log_analysis"},
       {HOURLY("Conteneur M", 3), MONTHLY("Engagement 12 mois", 3500, 12, 0)}},
      {"Formation Scalingo",
       "professional_service",
       "Formation",
       "Une journée de formation au déploiement sur PaaS pour vos équipes.",
       {"osc-fr1"},
       {NULL},
       {"training"},
       {QUOTE("Sur devis")}}}},
};
#define PROVIDERS (sizeof(providers) / sizeof(providers[0]))

static size_t count_of(const char *const *items) {
  size_t n = 0;
  while (n < MAX_ITEMS && items[n] != NULL) n++;
  return n;
}

static nu_text_list list_of(const char *const *items) {
  nu_text_list l = {.items = (const char **)items, .n = count_of(items)};
  return l;
}

static nu_status seed_plans(nu_conn *c, nu_arena *a, const char *product_id, const seed_product *sp,
                            int64_t now_ns, nu_catalog_seed_result *out) {
  for (size_t k = 0; k < MAX_PLANS && sp->plans[k].name != NULL; k++) {
    const seed_plan *p = &sp->plans[k];
    nu_plan_row in = {
        .product_id = product_id,
        .name = p->name,
        .model = p->model,
        .currency = "EUR",
        .has_hourly = strcmp(p->model, "hourly") == 0,
        .hourly_cents = p->hourly_cents,
        .has_monthly = strcmp(p->model, "subscription") == 0,
        .monthly_cents = p->monthly_cents,
        .commitment_months = p->commitment_months,
        .has_upfront = p->upfront_cents > 0,
        .upfront_cents = p->upfront_cents,
        .vat_rate_bp = 2000,
        .active = true,
    };
    nu_plan_row row;
    nu_status st = nu_plan_insert(c, a, &in, now_ns, &row);
    if (!nu_status_is_ok(&st)) return st;
    out->plans_created++;
  }
  return nu_ok();
}

static nu_status seed_product_of(nu_conn *c, nu_arena *a, const seed_provider *pv,
                                 const char *seller_id, const seed_product *sp, int64_t now_ns,
                                 nu_catalog_seed_result *out) {
  const char *existing = NULL;
  nu_status st = nu_seed_product_find(c, a, seller_id, sp->name, &existing);
  if (!nu_status_is_ok(&st) || existing != NULL) return st;
  nu_product_row in = {
      .seller_id = seller_id,
      .kind = sp->kind,
      .name = sp->name,
      .description = sp->description,
      .category = sp->category,
      .regions = list_of(sp->regions),
      .certifications = list_of(sp->certifications),
      .extra_eu_law = pv->extra_eu_law,
      .capabilities = list_of(sp->capabilities),
  };
  nu_product_row draft, published;
  st = nu_product_insert(c, a, &in, now_ns, &draft);
  if (!nu_status_is_ok(&st)) return st;
  st = seed_plans(c, a, draft.id, sp, now_ns, out);
  if (!nu_status_is_ok(&st)) return st;
  draft.status = "published";
  draft.published_us = now_ns / 1000;
  st = nu_product_write(c, a, &draft, now_ns, &published);
  if (!nu_status_is_ok(&st)) return st;
  out->products_created++;
  return nu_ok();
}

nu_status nu_catalog_seed_load(nu_conn *c, nu_arena *a, int64_t now_ns,
                               nu_catalog_seed_result *out) {
  *out = (nu_catalog_seed_result){0};
  for (size_t i = 0; i < PROVIDERS; i++) {
    const seed_provider *pv = &providers[i];
    /* Fixed ids in a range of their own ("5eed…"): a second load finds them. */
    nu_seed_seller s = {
        .org_id = nu_arena_sprintf(a, "5eed0000-0000-4000-8000-%012zu", i + 1),
        .user_id = nu_arena_sprintf(a, "5eed0001-0000-4000-8000-%012zu", i + 1),
        .login = nu_arena_sprintf(a, "demo.%s", pv->slug),
        .email = nu_arena_sprintf(a, "catalogue@%s.demo.invalid", pv->slug),
        .name = pv->name,
        .description = pv->description,
        .website = pv->website,
    };
    if (s.org_id == NULL || s.user_id == NULL || s.login == NULL || s.email == NULL) {
      return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
    }
    bool created = false;
    nu_status st = nu_seed_seller_ensure(c, a, &s, now_ns, &created);
    if (!nu_status_is_ok(&st)) return st;
    if (created) out->sellers_created++;
    for (size_t j = 0; j < MAX_PRODUCTS && pv->products[j].name != NULL; j++) {
      st = seed_product_of(c, a, pv, s.org_id, &pv->products[j], now_ns, out);
      if (!nu_status_is_ok(&st)) return st;
    }
  }
  return nu_ok();
}

/* ---- the subcommand ---------------------------------------------------------- */

typedef struct seed_run {
  int64_t now_ns;
  nu_catalog_seed_result result;
} seed_run;

static nu_status seed_tx(nu_conn *c, nu_arena *a, void *arg) {
  seed_run *r = arg;
  return nu_catalog_seed_load(c, a, r->now_ns, &r->result);
}

int nu_catalog_seed_main(int argc, char **argv) {
  const char *db = getenv("NUAGE_DATABASE_URL");
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--database-url") == 0 && i + 1 < argc) {
      db = argv[++i];
    } else {
      db = NULL;
      break;
    }
  }
  if (db == NULL) {
    fprintf(stderr, "usage: nuage-server seed-catalog [--database-url URL]\n");
    return 2;
  }
  int code = 1;
  nu_arena *a = nu_arena_new();
  nu_pool *pool = NULL;
  nu_migrate_result mr = {0};
  nu_status st = nu_migrate(db, nu_migrations, nu_migrations_count, a, &mr);
  if (!nu_status_is_ok(&st)) goto done;
  nu_pool_options popts = {.conninfo = db, .size = 1};
  st = nu_pool_new(&popts, a, &pool);
  if (!nu_status_is_ok(&st)) goto done;
  const nu_clock *clock = nu_clock_system();
  seed_run r = {.now_ns = nu_clock_wall_ns(clock)};
  nu_tx_options topts = {.deadline_mono_ns = nu_clock_mono_ns(clock) + 60 * NU_NS_PER_S};
  st = nu_tx_run(pool, a, &topts, seed_tx, &r);
  if (!nu_status_is_ok(&st)) goto done;
  printf("demo catalogue: %d sellers, %d products, %d plans added (%zu providers)\n",
         r.result.sellers_created, r.result.products_created, r.result.plans_created, PROVIDERS);
  fflush(stdout);
  code = 0;
done:
  if (code != 0) fprintf(stderr, "nuage-server: seed-catalog failed: %s\n", st.message);
  nu_pool_free(pool);
  nu_arena_free(a);
  return code;
}
