"""The demo (`manage.py load_demo`): a realistic demo network, written through the services.

Two townships from DOMAIN.md: Zhongduo (中垛乡, Ji county, Shanxi) with one station, a point in
each of its 10 villages and 77 representatives; and Xingfu (幸福乡, Nanguan district, Changchun)
with a home, 7 village/community stations and 72 representatives of four levels (`network`). Then
the handling workflow: the departments suggestions go to, their handlers, reply templates
(`handling`), and a dozen suggestions at Zhongduo walked through the real services into every
state (`suggestions`); then reception days, rota and duty logs (`receptions`). Everything is
looked up by its natural key before it is created, so running the command again changes nothing.
"""
